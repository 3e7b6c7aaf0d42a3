// The `twilio` package's own signer, imported alone (the whole SDK is not needed to sign a form).
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";

export type Params = ReadonlyArray<readonly [string, string]>;

/** How a probe signs its request: as Twilio does, not at all, or with a token that is not the account's. */
export type Signing = "valid" | "missing" | "wrong";

export interface ProbeRequest {
  /** Absolute URL, exactly as Twilio would call (and sign) it. */
  url: string;
  params: Params;
  signing: Signing;
  authToken: string;
  /** Give up after this long: an answer later than the caller's limit is as good as none. */
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

export type ProbeAnswer =
  | { kind: "answer"; status: number; body: unknown; text: string; ms: number }
  | { kind: "timeout"; ms: number }
  | { kind: "unreachable"; reason: string; ms: number };

/** Any other token signs a request the service must refuse; this one is never an account's. */
const NOT_THE_TOKEN = "smoke-test-deliberately-wrong-token";

export function signatureFor(authToken: string, url: string, params: Params): string {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) fields[name] = value;
  return getExpectedTwilioSignature(authToken, url, fields);
}

/** One POST the way Twilio sends callbacks: form body, X-Twilio-Signature over the exact URL. Timed to the last byte. */
export async function probe(request: ProbeRequest): Promise<ProbeAnswer> {
  const fetchImpl = request.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
    "user-agent": "frontline-stack-smoke",
  };
  if (request.signing !== "missing") {
    const token = request.signing === "valid" ? request.authToken : NOT_THE_TOKEN;
    headers["x-twilio-signature"] = signatureFor(token, request.url, request.params);
  }
  const body = new URLSearchParams(request.params.map(([k, v]): [string, string] => [k, v])).toString();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetchImpl(request.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return { kind: "answer", status: response.status, body: parseJson(text), text, ms: elapsed() };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
      return { kind: "timeout", ms: elapsed() };
    return { kind: "unreachable", reason: networkReason(error), ms: elapsed() };
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch says only "fetch failed"; the cause carries the code an operator can act on. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
