// npm run smoke -- --url <base> [--worker <identity>] [--json]
// The implementation is scripts/smoke.ts and scripts/smoke/, compiled before it runs.

import { existsSync } from "node:fs";
import { importCompiled } from "./lib/import-compiled.mjs";

// The same optional .env as `npm start` (real environment variables win), so one TWILIO_AUTH_TOKEN serves both.
if (existsSync(".env")) process.loadEnvFile(".env");
const { main } = await importCompiled("scripts/smoke.ts");
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
