import type { CheckResult, SmokeReport } from "./run.js";

const COLUMNS = ["callback", "check", "expect", "got", "ms", "result"] as const;

function cells(check: CheckResult): string[] {
  return [
    check.callback,
    check.readOnlySubstitute ? `${check.check} *` : check.check,
    String(check.expected),
    check.status === null ? "-" : String(check.status),
    check.ms === null ? "-" : String(check.ms),
    check.outcome.toUpperCase(),
  ];
}

/** The terminal form: one row per check, reasons under the rows that need one, then the totals. */
export function formatTable(report: SmokeReport): string {
  const rows = report.checks.map(cells);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [`Smoke test of ${report.url} as worker ${report.worker}`, "", line(COLUMNS)];
  report.checks.forEach((check, i) => {
    out.push(line(rows[i]!));
    if (check.detail) out.push(`    ${check.detail}`);
  });
  const substitutes = report.checks.filter((check) => check.readOnlySubstitute);
  if (substitutes.length > 0) {
    out.push("", "* read-only substitute, because the real request would change the Twilio account:");
    for (const check of substitutes) out.push(`  - ${check.readOnlySubstitute}`);
  }
  const count = (outcome: CheckResult["outcome"]) => report.checks.filter((check) => check.outcome === outcome).length;
  const { warnMs, frontlineMs, conversationsMs } = report.limits;
  out.push(
    "",
    `Latency: warns above ${warnMs} ms; fails above ${frontlineMs} ms (Frontline callbacks) and ${conversationsMs} ms (Conversations webhook).`,
    `${report.checks.length} checks: ${count("pass")} passed, ${count("warn")} passed with a warning, ${count("fail")} failed. ` +
      (report.passed ? "PASS" : "FAIL"),
  );
  return `${out.join("\n")}\n`;
}

/** The CI form: the whole report, one JSON document. */
export function formatJson(report: SmokeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
