import { twilioApiUrl } from "../../contract/twilio-api-url.js";

/** A Twilio REST error after retries: status, Twilio's error code and message. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "TwilioApiError";
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

  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    let response: Response;
    try {
      response = await fetchImpl(url, { method: call.method, headers, body, signal: AbortSignal.timeout(Math.max(remaining, 1)) });
    } catch (error) {
      // Network errors and our own timeout: retry while time is left, like a 5xx.
      const wait = backoff(attempt, undefined);
      if (deadline - Date.now() > wait + 100) {
        await sleep(wait);
        continue;
      }
      throw new TwilioApiError(0, undefined, `Twilio API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    if (RETRYABLE(response.status)) {
      const wait = backoff(attempt, response.headers.get("retry-after"));
      if (deadline - Date.now() > wait + 100) {
        await sleep(wait);
        continue;
      }
    }
    throw errorFrom(response.status, text);
  }
}

/** Capped exponential backoff; a Retry-After from Twilio wins when it fits. */
function backoff(attempt: number, retryAfter: string | null | undefined): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.min(100 * 2 ** attempt, 1000);
}

function errorFrom(status: number, text: string): TwilioApiError {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return new TwilioApiError(status, typeof body.code === "number" ? body.code : undefined, String(body.message ?? `HTTP ${status}`));
  } catch {
    return new TwilioApiError(status, undefined, `HTTP ${status}`);
  }
}
