import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Compiles a TypeScript command to dist/scripts/<name>.mjs with esbuild (about 50 ms), as `npm start`
 * does for the dev server, and imports it: no TypeScript loader is needed at run time.
 * @param {string} entry the command's repo-relative path, e.g. "scripts/smoke.ts"
 * @returns {Promise<any>} the compiled module's exports
 */
export async function importCompiled(entry) {
  const outfile = path.join(root, "dist/scripts", `${path.basename(entry, ".ts")}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // The AWS SDK and the rest resolve from node_modules at run time.
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}
