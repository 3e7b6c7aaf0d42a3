// npm run templates:push -- --table <name> [--dry-run] <templates.json>
// npm run templates:pull -- --table <name>
// TypeScript that shares the item layout with the Lambda code (lambda/templates/); esbuild compiles
// it to dist/scripts/ first, as customers:import does. The implementation is scripts/templates.ts.

import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const [command, ...argv] = process.argv.slice(2);
if (command !== "push" && command !== "pull") {
  console.error("usage: node scripts/templates.mjs push|pull [options]  (npm run templates:push / templates:pull)");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, "dist/scripts/templates.mjs");
await build({
  absWorkingDir: root,
  entryPoints: ["scripts/templates.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  outfile,
  logLevel: "warning",
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(command, argv, { out: process.stdout, err: process.stderr });
