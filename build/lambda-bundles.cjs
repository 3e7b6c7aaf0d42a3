// The one place that says how a callback becomes deployable bytes. `npm run build` writes them to
// dist/lambda/<callback>/index.mjs, and the Pulumi program builds the same bytes in memory, so a
// preview without code changes shows no function diff.
"use strict";
const { createHash } = require("node:crypto");
const path = require("node:path");
// The contract is TypeScript with erasable syntax only: Node 22.18+ strips the types, the Pulumi
// CLI's ts-node compiles it.
const { CALLBACK_NAMES } = require("../contract/callbacks.ts");

const ROOT = path.resolve(__dirname, "..");
const CALLBACKS = CALLBACK_NAMES;

// ESM output cannot `require("crypto")`, which the twilio webhooks module (CommonJS) does.
const REQUIRE_SHIM = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** `outgoing-conversation` -> `outgoingConversation`: the export of lambda/handlers/<callback>.ts. */
function handlerExport(callback) {
  return callback.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

/**
 * The entry of one callback's bundle, written from its name instead of kept as a file per callback:
 * the handler module named after the callback, served by the Lambda adapter for that callback's path.
 */
function lambdaEntrySource(callback) {
  return [
    `import { ${handlerExport(callback)} as callback } from "./lambda/handlers/${callback}.js";`,
    `import { lambdaHandler } from "./lambda/runtime/lambda-app.js";`,
    `export const handler = lambdaHandler(callback);`,
    "",
  ].join("\n");
}

/** esbuild options for one callback's Lambda bundle. */
function lambdaBuildOptions(callback) {
  if (!CALLBACKS.includes(callback))
    throw new Error(`unknown callback ${callback}; expected one of ${CALLBACKS.join(", ")}`);
  return {
    absWorkingDir: ROOT,
    stdin: {
      contents: lambdaEntrySource(callback),
      resolveDir: ROOT,
      sourcefile: `lambda-entry-${callback}.ts`,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    legalComments: "none",
    sourcemap: false,
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
      const options = lambdaBuildOptions(callback);
      const result = await esbuild.build({ ...options, write: false });
      const code = Buffer.from(result.outputFiles[0].contents);
      if (write) writeAtomically(path.join(ROOT, options.outfile), code);
      return { callback, code, sha256: createHash("sha256").update(code).digest("hex") };
    }),
  );
  return results;
}

/** Never a half-written bundle for a concurrent reader (a test, a running `npm start`). */
function writeAtomically(file, bytes) {
  const fs = require("node:fs");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, file);
}

/** The local server: one readable ESM file, so `npm start` needs no TypeScript loader in memory. */
function devServerBuildOptions() {
  return {
    absWorkingDir: ROOT,
    entryPoints: ["dev/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "bundle",
    banner: { js: REQUIRE_SHIM },
    outfile: "dist/dev/server.mjs",
    logLevel: "warning",
  };
}

async function buildDevServer() {
  const esbuild = require("esbuild");
  // The metafile lists every input, so `npm start` can tell later whether the bundle is current.
  return esbuild.build({ ...devServerBuildOptions(), metafile: true });
}

module.exports = {
  CALLBACKS,
  ROOT,
  lambdaEntrySource,
  lambdaBuildOptions,
  buildLambdaBundles,
  devServerBuildOptions,
  buildDevServer,
};
