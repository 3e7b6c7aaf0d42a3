/**
 * What the code under test asked Twilio to do: requests that passed auth and validation, in
 * memory and optionally as JSON lines in a file (an audit trail a test or a human can read). The
 * file also gets the requests the spec refused, marked with their `violations`, so an audit of a
 * whole test run (audit.ts) can count them.
 */
import { appendFileSync } from "node:fs";
import type { RecordedRequest, RequestFilter } from "./types.js";

export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  constructor(private readonly file: string | undefined) {}

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
    // Synchronous so the file order is the arrival order and a test can read it right after.
    if (this.file) appendFileSync(this.file, JSON.stringify(entry) + "\n");
  }

  /** A request the spec refused: written to the file only (the in-memory log keeps valid requests). */
  reject(entry: RecordedRequest, violations: string[]): void {
    if (this.file) appendFileSync(this.file, JSON.stringify({ ...entry, violations }) + "\n");
  }

  clear(): void {
    this.entries.length = 0;
  }

  matching(filter: RequestFilter = {}): RecordedRequest[] {
    return this.entries.filter((r) => {
      if (filter.method && r.method !== filter.method.toUpperCase()) return false;
      if (filter.host && r.host !== filter.host) return false;
      if (filter.path !== undefined)
        return typeof filter.path === "string" ? r.path.startsWith(filter.path) : filter.path.test(r.path);
      return true;
    });
  }
}
