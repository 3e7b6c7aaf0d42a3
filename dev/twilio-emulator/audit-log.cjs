// Prints how many requests a TWILIO_EMULATOR_LOG file holds and every one the official spec refuses;
// exits 1 when there is any. Usage: node dev/twilio-emulator/audit-log.cjs <log.jsonl>
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

require("ts-node").register({
  project: path.resolve(__dirname, "../../tsconfig.json"),
  transpileOnly: true,
  experimentalResolver: true,
});
const { auditLog } = require("./audit.ts");

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node dev/twilio-emulator/audit-log.cjs <TWILIO_EMULATOR_LOG file>\n");
  process.exit(2);
}
const result = auditLog(readFileSync(file, "utf8"));
for (const v of result.violations) process.stdout.write(`line ${v.line}: ${v.request}: ${v.problems.join("; ")}\n`);
process.stdout.write(
  `${result.requests} Twilio requests (${result.writes} writes), ${result.violations.length} spec violations\n`,
);
process.exit(result.violations.length ? 1 : 0);
