/**
 * The functions' code, built in memory by the same esbuild setup as `npm run build`, so the program
 * runs from a clean checkout (no dist/) and can never deploy a stale bundle. The build is
 * byte-deterministic, so the archive hash only moves when the source does: previews without code
 * changes show no function diff.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildLambdaBundles, type CallbackBundleName, type LambdaBundle } from "../build/lambda-bundles.cjs";

let bundles: Promise<ReadonlyMap<CallbackBundleName, LambdaBundle>> | undefined;

/** One build for all five functions, started on first use; Pulumi awaits the asset text itself. */
export function lambdaBundles(): Promise<ReadonlyMap<CallbackBundleName, LambdaBundle>> {
  bundles ??= buildLambdaBundles({ write: false }).then(
    (list) => new Map(list.map((bundle) => [bundle.callback, bundle])),
    (error: unknown) => {
      throw new Error(
        `building the Lambda bundles failed (run \`npm run build\` to see esbuild's full report): ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  return bundles;
}

/** `index.mjs` with the handler export `handler`: the function's handler is `index.handler`. */
export function lambdaArchive(callback: CallbackBundleName): pulumi.asset.AssetArchive {
  const text = lambdaBundles().then((all) => {
    const bundle = all.get(callback);
    if (!bundle) throw new Error(`no Lambda bundle was built for ${callback}`);
    // esbuild escapes non-ASCII output by default, so the UTF-8 text is the exact bundle bytes.
    return bundle.code.toString("utf8");
  });
  return new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(text) });
}

export const LAMBDA_HANDLER = "index.handler";
