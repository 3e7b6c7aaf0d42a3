// npm run smoke -- --url <base> [--worker <identity>] [--json]
// Compiled by esbuild to dist/scripts/ first, as customers-import.mjs does, so no TypeScript loader
// is needed at run time. The implementation is scripts/smoke.ts and scripts/smoke/.

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, "dist/scripts/smoke.mjs");
await build({
  absWorkingDir: root,
  entryPoints: ["scripts/smoke.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  outfile,
  logLevel: "warning",
});
// The same optional .env as `npm start` (real environment variables win), so one TWILIO_AUTH_TOKEN serves both.
if (existsSync(".env")) process.loadEnvFile(".env");
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
