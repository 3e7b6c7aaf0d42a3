// npm run customers:import -- --table <name> <customers.json>
// The command is TypeScript that shares the table layout with the Lambda code (lambda/customers/);
// esbuild compiles it to dist/scripts/ first (about 50 ms), as `npm start` does for the dev server,
// so no TypeScript loader is needed at run time. The implementation is scripts/customers-import.ts.

import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, "dist/scripts/customers-import.mjs");
await build({
  absWorkingDir: root,
  entryPoints: ["scripts/customers-import.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // The AWS SDK and the rest resolve from node_modules at run time.
  packages: "external",
  outfile,
  logLevel: "warning",
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
