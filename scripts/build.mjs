// npm run build  -> dist/lambda/<callback>/index.mjs (what the Pulumi program deploys)
// npm start      -> builds dist/dev/server.mjs first, then runs it
import bundles from "../build/lambda-bundles.cjs";

const target = process.argv[2] ?? "lambda";
if (target === "dev") {
  await bundles.buildDevServer();
} else if (target === "lambda") {
  for (const bundle of await bundles.buildLambdaBundles({ write: true })) {
    console.log(`dist/lambda/${bundle.callback}/index.mjs  ${(bundle.code.length / 1024).toFixed(1)} KB  sha256 ${bundle.sha256.slice(0, 16)}`);
  }
} else {
  console.error(`usage: node scripts/build.mjs [lambda|dev]`);
  process.exit(2);
}
