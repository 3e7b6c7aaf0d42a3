// The one place that says how a callback becomes deployable bytes. `npm run build` writes them to
// dist/lambda/<callback>/index.mjs, and the Pulumi program builds the same bytes in memory, so a
// preview without code changes shows no function diff.
"use strict";
const { createHash } = require("node:crypto");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const CALLBACKS = ["crm", "outgoing-conversation", "templates", "routing", "twilio-conversations"];

// ESM output cannot `require("crypto")`, which the twilio webhooks module (CommonJS) does.
const REQUIRE_SHIM = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** esbuild options for one callback's Lambda bundle. */
function lambdaBuildOptions(callback) {
  if (!CALLBACKS.includes(callback)) throw new Error(`unknown callback ${callback}; expected one of ${CALLBACKS.join(", ")}`);
  return {
    absWorkingDir: ROOT,
    entryPoints: [`lambda/entry/${callback}.ts`],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    legalComments: "none",
    sourcemap: false,
    // The Node.js 22 Lambda runtime ships AWS SDK v3; handlers load it with import() on first use.
    external: ["@aws-sdk/*"],
    banner: { js: REQUIRE_SHIM },
    outfile: `dist/lambda/${callback}/index.mjs`,
    logLevel: "silent",
  };
}

/**
 * Builds every callback bundle. With `write: false` nothing touches the disk (the Pulumi program);
 * otherwise files land in dist/lambda/. Returns the bytes and their sha256 per callback.
 */
async function buildLambdaBundles({ write = false } = {}) {
  const esbuild = require("esbuild");
  const results = await Promise.all(
    CALLBACKS.map(async (callback) => {
      const result = await esbuild.build({ ...lambdaBuildOptions(callback), write });
      const code = write
        ? require("node:fs").readFileSync(path.join(ROOT, `dist/lambda/${callback}/index.mjs`))
        : Buffer.from(result.outputFiles[0].contents);
      return { callback, code, sha256: createHash("sha256").update(code).digest("hex") };
    }),
  );
  return results;
}

/** The local server: one readable ESM file, so `npm start` needs no TypeScript loader in memory. */
async function buildDevServer() {
  const esbuild = require("esbuild");
  // The metafile lists every input, so `npm start` can tell later whether the bundle is current.
  return esbuild.build({
    metafile: true,
    absWorkingDir: ROOT,
    entryPoints: ["dev/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "bundle",
    external: ["@aws-sdk/*"],
    banner: { js: REQUIRE_SHIM },
    outfile: "dist/dev/server.mjs",
    logLevel: "warning",
  });
}

module.exports = { CALLBACKS, ROOT, lambdaBuildOptions, buildLambdaBundles, buildDevServer };
