/** Injected failures, consumed in order by the requests they match. Controlled in-process only. */
import { faultError, type TwilioError } from "./errors.js";
import type { FaultSpec } from "./types.js";

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultQueue {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
    if (spec.status < 400 || spec.status > 599) throw new Error(`fault status must be 4xx or 5xx, got ${spec.status}`);
    this.faults.push({ spec, remaining: count });
  }

  clear(): void {
    this.faults = [];
  }

  /** The error to answer `method emulatorPath` with, spending one use of the first matching fault. */
  take(method: string, emulatorPath: string): TwilioError | undefined {
    const hit = this.faults.find((f) => f.remaining > 0 && matches(f.spec, method, emulatorPath));
    if (!hit) return undefined;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return faultError(hit.spec.status, hit.spec.code, hit.spec.retryAfterSeconds);
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof spec.path === "string" ? path.startsWith(spec.path) : spec.path.test(path);
}
