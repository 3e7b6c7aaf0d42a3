// npm run customers:import -- --table <name> <customers.json>
// The command is TypeScript that shares the table layout with the Lambda code (lambda/customers/),
// compiled before it runs. The implementation is scripts/customers-import.ts.

import { importCompiled } from "./lib/import-compiled.mjs";

const { main } = await importCompiled("scripts/customers-import.ts");
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
