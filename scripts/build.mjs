// npm run build  -> dist/lambda/<callback>/index.mjs (what the Pulumi program deploys)
// npm start      -> `start`: runs dist/dev/server.mjs in this process, rebuilding it first only when
//                   a file it was built from changed: one Node process per start, and no esbuild run
//                   when nothing changed
// node scripts/build.mjs dev -> rebuilds dist/dev/server.mjs unconditionally
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isCurrent, writeStamp } from "./bundle-stamp.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = "dist/dev/server.mjs";
const STAMP = path.join(ROOT, "dist/dev/server.inputs.json");
// Changing how the bundle is built changes it too.
const BUILD_FILES = [
  "scripts/build.mjs",
  "scripts/bundle-stamp.mjs",
  "build/lambda-bundles.cjs",
  "scripts/lambda-bundles.cjs",
  "package-lock.json",
];

async function buildDevServer() {
  const { default: bundles } = await import("../build/lambda-bundles.cjs");
  const result = await bundles.buildDevServer();
  writeStamp(ROOT, STAMP, SERVER, [...Object.keys(result.metafile.inputs), ...BUILD_FILES]);
}

const target = process.argv[2] ?? "lambda";
if (target === "start") {
  if (!isCurrent(ROOT, STAMP, SERVER)) await buildDevServer();
  await import(pathToFileURL(path.join(ROOT, SERVER)).href);
} else if (target === "dev") {
  await buildDevServer();
} else if (target === "lambda") {
  const { default: bundles } = await import("../build/lambda-bundles.cjs");
  for (const bundle of await bundles.buildLambdaBundles({ write: true })) {
    console.log(
      `dist/lambda/${bundle.callback}/index.mjs  ${(bundle.code.length / 1024).toFixed(1)} KB  sha256 ${bundle.sha256.slice(0, 16)}`,
    );
  }
} else {
  console.error("usage: node scripts/build.mjs [lambda|dev|start]");
  process.exit(2);
}
