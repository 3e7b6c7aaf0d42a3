/** Injected failures, consumed in order by the requests they match. Controlled in-process only. */
import { faultError, type TwilioError } from "./errors.js";
import type { FaultSpec } from "./types.js";

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

/** What a matching fault does to one request. */
export interface Fault {
  /** Run the handler first: the write lands, its answer is lost. */
  afterWrite: boolean;
  /** The error to answer with, or "drop" to close the connection without an answer. */
  answer: TwilioError | "drop";
}

export class FaultQueue {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
    if (!spec.drop && (spec.status === undefined || spec.status < 400 || spec.status > 599)) {
      throw new Error(`fault status must be 4xx or 5xx (or set drop: true), got ${spec.status}`);
    }
    this.faults.push({ spec, remaining: count });
  }

  clear(): void {
    this.faults = [];
  }

  /** What to do to `method emulatorPath`, spending one use of the first matching fault. */
  take(method: string, emulatorPath: string): Fault | undefined {
    const hit = this.faults.find((f) => f.remaining > 0 && matches(f.spec, method, emulatorPath));
    if (!hit) return undefined;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    const { spec } = hit;
    return {
      afterWrite: spec.afterWrite === true,
      answer: spec.drop ? "drop" : faultError(spec.status!, spec.code, spec.retryAfterSeconds),
    };
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof spec.path === "string" ? path.startsWith(spec.path) : spec.path.test(path);
}
