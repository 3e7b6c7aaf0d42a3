// npm run templates:push -- --table <name> [--dry-run] <templates.json>
// npm run templates:pull -- --table <name>
// TypeScript that shares the item layout with the Lambda code (lambda/templates/), compiled before it
// runs. The implementation is scripts/templates.ts.

import { importCompiled } from "./lib/import-compiled.mjs";

const [command, ...argv] = process.argv.slice(2);
if (command !== "push" && command !== "pull") {
  console.error("usage: node scripts/templates.mjs push|pull [options]  (npm run templates:push / templates:pull)");
  process.exit(2);
}
const { main } = await importCompiled("scripts/templates.ts");
process.exitCode = await main(command, argv, { out: process.stdout, err: process.stderr });
