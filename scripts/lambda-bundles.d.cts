export * from "../build/lambda-bundles.cjs";
