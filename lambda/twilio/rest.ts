import { twilioApiUrl } from "../../contract/twilio-api-url.js";

/**
 * Why a Twilio call failed, in the words an operator acts on: the name did not resolve, the
 * connection was refused or reset, TLS failed, no answer in time, or Twilio answered an error.
 */
export type TwilioFailureCause = "dns" | "refused" | "timeout" | "reset" | "tls" | "network" | "http";

export interface TwilioCallDetails {
  cause: TwilioFailureCause;
  /** The network error's code (ENOTFOUND, ECONNREFUSED, UND_ERR_SOCKET, ...), when there is one. */
  errno?: string;
  attempts: number;
  elapsedMs: number;
  /** Method, host and path: ids only (service, conversation, participant SIDs), never a form value. */
  request: string;
}

/** A Twilio REST error after retries: status (0 when nothing answered), Twilio's error code, message and cause. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly details: Partial<TwilioCallDetails> = {},
  ) {
    super(message);
    this.name = "TwilioApiError";
  }

  get failureCause(): TwilioFailureCause {
    return this.details.cause ?? (this.status > 0 ? "http" : "network");
  }

  /**
   * What a log line needs to act on the failure. Twilio's message is left out: for some errors it
   * quotes the request (a phone number, an identity), and the code names the error exactly.
   */
  logFields(): Record<string, string | number | undefined> {
    return {
      cause: this.failureCause,
      twilioStatus: this.status > 0 ? this.status : undefined,
      twilioCode: this.code,
      errno: this.details.errno,
      attempts: this.details.attempts,
      twilioMs: this.details.elapsedMs,
      twilioRequest: this.details.request,
    };
  }
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

export interface RestOptions {
  credentials: () => Promise<TwilioCredentials>;
  /** `TWILIO_API_BASE_URL`: send requests to an emulator instead of Twilio. */
  apiBaseUrl?: string;
  /**
   * Total time for one call including retries. Frontline waits 7 s and Conversations 5 s for the
   * whole callback, so a call gives up well before.
   */
  budgetMs?: number;
  /**
   * Absolute time (epoch ms) by which the whole callback must have answered, when the front door
   * knows it (Lambda: the invocation's remaining time). A call never runs past it, whatever the
   * budget says: a cold start and an SSM read may already have spent part of the wait.
   */
  deadline?: () => number | undefined;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface RestCall {
  method: "GET" | "POST" | "DELETE";
  /** The real Twilio URL, e.g. https://conversations.twilio.com/v1/Conversations/CH.../Participants */
  url: string;
  form?: Record<string, string>;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One Twilio REST call with brief retries on 429/5xx (honouring Retry-After) inside a time budget. */
export async function twilioRest<T>(call: RestCall, options: RestOptions): Promise<T> {
  const deadline = Math.min(Date.now() + (options.budgetMs ?? 4000), options.deadline?.() ?? Number.POSITIVE_INFINITY);
  const { accountSid, authToken } = await options.credentials();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? sleepFor;
  const url = twilioApiUrl(call.url, options.apiBaseUrl);
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
    accept: "application/json",
  };
  const body = call.form ? new URLSearchParams(call.form).toString() : undefined;
  if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";

  const started = Date.now();
  const request = `${call.method} ${call.url.replace(/^https:\/\//, "")}`;
  const details = (attempt: number) => ({ attempts: attempt + 1, elapsedMs: Date.now() - started, request });

  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: call.method,
        headers,
        body,
        signal: AbortSignal.timeout(Math.max(remaining, 1)),
      });
      text = await response.text();
    } catch (error) {
      // Network errors and our own timeout: retry while time is left, like a 5xx.
      const wait = backoff(attempt, undefined);
      if (deadline - Date.now() > wait + 100) {
        await sleep(wait);
        continue;
      }
      const { cause, errno } = networkCause(error);
      throw new TwilioApiError(0, undefined, `Twilio API unreachable: ${cause}${errno ? ` (${errno})` : ""}`, {
        cause,
        errno,
        ...details(attempt),
      });
    }
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    if (RETRYABLE(response.status)) {
      const wait = backoff(attempt, response.headers.get("retry-after"));
      if (deadline - Date.now() > wait + 100) {
        await sleep(wait);
        continue;
      }
    }
    throw errorFrom(response.status, text, { cause: "http", ...details(attempt) });
  }
}

const CAUSE_BY_CODE: ReadonlyArray<[RegExp, TwilioFailureCause]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, "dns"],
  [/^ECONNREFUSED$/, "refused"],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/, "timeout"],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, "reset"],
  [/^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/, "tls"],
];

/** fetch reports every network failure as "fetch failed"; the code sits on its cause. */
function networkCause(error: unknown): { cause: TwilioFailureCause; errno?: string } {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return { cause: "timeout" };
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      const match = CAUSE_BY_CODE.find(([pattern]) => pattern.test(code));
      return { cause: match ? match[1] : "network", errno: code };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return { cause: "network" };
}

/** Capped exponential backoff; a Retry-After from Twilio wins when it fits. */
function backoff(attempt: number, retryAfter: string | null | undefined): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.min(100 * 2 ** attempt, 1000);
}

function errorFrom(status: number, text: string, details: Partial<TwilioCallDetails>): TwilioApiError {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return new TwilioApiError(
      status,
      typeof body.code === "number" ? body.code : undefined,
      String(body.message ?? `HTTP ${status}`),
      details,
    );
  } catch {
    return new TwilioApiError(status, undefined, `HTTP ${status}`, details);
  }
}
