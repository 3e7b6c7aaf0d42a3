/**
 * Audits a request log written through `TWILIO_EMULATOR_LOG` (JSON lines): every request is checked
 * again against the official spec, from the log line alone, and every request the emulator refused
 * (marked `violations`) counts. Run it over a whole test run:
 *
 *   TWILIO_EMULATOR_LOG=/tmp/twilio-requests.jsonl npx vitest run
 *   node dev/twilio-emulator/audit-log.cjs /tmp/twilio-requests.jsonl
 *
 * The emulator's own tests keep their deliberately invalid requests out of that log (they start
 * their emulators with `logFile: ""`).
 */
import { findOperation, isProduct } from "./spec/catalog.js";
import { validateRequest } from "./spec/validator.js";
import type { MultiValue } from "./types.js";

export interface AuditFinding {
  line: number;
  request: string;
  problems: string[];
}

export interface AuditResult {
  requests: number;
  writes: number;
  violations: AuditFinding[];
}

const multi = (values: Record<string, string | string[]> = {}): MultiValue =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

export function auditLog(text: string): AuditResult {
  const result: AuditResult = { requests: 0, writes: 0, violations: [] };
  text.split("\n").forEach((raw, index) => {
    if (!raw.trim()) return;
    const entry = JSON.parse(raw) as {
      method: string;
      host: string;
      path: string;
      query?: Record<string, string | string[]>;
      form?: Record<string, string | string[]>;
      violations?: string[];
    };
    result.requests += 1;
    if (entry.method !== "GET") result.writes += 1;
    const request = `${entry.method} https://${entry.host}${entry.path}`;
    const product = entry.host.replace(/\.twilio\.com$/, "");
    const match = isProduct(product) ? findOperation(product, entry.method, entry.path) : undefined;
    const problems = [...(entry.violations ?? [])];
    if (!match) problems.push("not an operation of the spec");
    else
      problems.push(
        ...validateRequest(match.operation, {
          params: match.params,
          query: multi(entry.query),
          headers: {},
          form: multi(entry.form),
        }),
      );
    if (problems.length) result.violations.push({ line: index + 1, request, problems: [...new Set(problems)] });
  });
  return result;
}
