/**
 * Twilio REST access for the dynamic providers.
 *
 * Every function here ends up serialized by value inside each provider's `__provider` text (Pulumi
 * copies the project's own code, and `require`s only node_modules). So: no module-level state, no
 * module-level imports used at run time (types only, plus the tiny URL mapper), and `twilio` is
 * `require`d inside the function that needs it, which keeps just the package name in state.
 */
import { twilioApiUrl } from "../../lambda/twilio/api-url.js";

export interface TwilioCredentials {
  readonly accountSid: string;
  /** An Auth Token. Never an input, never an output, never captured: see `credentialsFromConfig`. */
  readonly authToken: string;
}

/** What `configure()` hands a provider: the stack config, secrets already unwrapped. */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

export type FormValue = string | number | boolean | null | readonly string[];
export type Form = Readonly<Record<string, FormValue>>;

export interface TwilioApi {
  get<T>(url: string, query?: Form): Promise<T>;
  post<T>(url: string, form: Form): Promise<T>;
  delete(url: string): Promise<void>;
  /** Every item of a paged list (v1 `meta.next_page_url` or 2010 `next_page_uri`). */
  list<T>(url: string, key: string, query?: Form): Promise<T[]>;
}

/** A failed Twilio call, carrying Twilio's own error code so callers can branch on it. */
export interface TwilioApiError extends Error {
  readonly name: "TwilioApiError";
  readonly status: number;
  readonly code: number | undefined;
  readonly twilioMessage: string;
  readonly moreInfo: string | undefined;
}

/** Reads the credentials from the stack config in `configure()`; the env is consulted at call time. */
export function credentialsFromConfig(config: ProviderConfig): Partial<TwilioCredentials> {
  const accountSid = config.get("twilio:accountSid");
  const authToken = config.get("twilio:authToken");
  return { ...(accountSid ? { accountSid } : {}), ...(authToken ? { authToken } : {}) };
}

export function resolveCredentials(configured: Partial<TwilioCredentials>): TwilioCredentials {
  const accountSid = configured.accountSid ?? process.env["TWILIO_ACCOUNT_SID"];
  const authToken = configured.authToken ?? process.env["TWILIO_AUTH_TOKEN"];
  if (!accountSid || !authToken) {
    throw new Error(
      "Twilio credentials are missing: run `pulumi config set twilio:accountSid AC...` and " +
        "`pulumi config set --secret twilio:authToken ...` (or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN).",
    );
  }
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new Error("twilio:accountSid must be an Account SID: AC followed by 32 hex characters.");
  }
  return { accountSid, authToken };
}

/** How hard to retry 429 and 5xx answers. Retry-After wins over the computed delay, up to `maxDelayMs`. */
export const retryPolicy = { attempts: 5, baseDelayMs: 250, capDelayMs: 4_000, maxDelayMs: 30_000 } as const;

/**
 * Milliseconds to wait before retry number `retry` (1-based). "Equal jitter": half fixed, half random,
 * so concurrent providers spread out but a retry never comes back immediately.
 */
export function retryDelayMs(retry: number, retryAfter: string | undefined, random: number): number {
  if (retryAfter !== undefined && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), retryPolicy.maxDelayMs);
  }
  const ceiling = Math.min(retryPolicy.capDelayMs, retryPolicy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function isTwilioApiError(error: unknown): error is TwilioApiError {
  return error instanceof Error && error.name === "TwilioApiError";
}

/** Twilio's "resource not found": the thing was deleted outside Pulumi, or never existed. */
export function isNotFound(error: unknown): boolean {
  return isTwilioApiError(error) && (error.code === 20404 || (error.code === undefined && error.status === 404));
}

export function hasTwilioCode(error: unknown, code: number): boolean {
  return isTwilioApiError(error) && error.code === code;
}

/** The next step to suggest for a Twilio error, so a failed `pulumi up` says what to do. */
export function hintFor(status: number, code: number | undefined): string {
  if (code === 20003 || status === 401) {
    return "check the stack config twilio:accountSid and the secret twilio:authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN) belong to the same account";
  }
  if (code === 20404 || status === 404) {
    return "the resource does not exist on this account: check the SID, or run `pulumi refresh` if it was deleted outside Pulumi";
  }
  if (code === 20429 || status === 429) {
    return "Twilio kept rate limiting after every retry: run again in a minute, or lower `pulumi up --parallel`";
  }
  if (status >= 500) return "Twilio kept failing after every retry: check https://status.twilio.com and run again";
  if (status === 400) return "Twilio rejected a parameter: compare the resource's arguments with the field named in the message";
  return "see Twilio's error reference";
}

export function twilioApiError(
  method: string,
  url: string,
  status: number,
  body: unknown,
  attempts: number,
): TwilioApiError {
  const payload = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const code = typeof payload["code"] === "number" ? payload["code"] : undefined;
  const twilioMessage = String(payload["message"] ?? payload["detail"] ?? payload["title"] ?? (typeof body === "string" ? body : "")).trim();
  const moreInfo = typeof payload["more_info"] === "string" ? payload["more_info"] : code ? `https://www.twilio.com/docs/errors/${code}` : undefined;
  const path = url.replace(/^https:\/\/([a-z0-9-]+)\.twilio\.com/, "$1");
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const message =
    `Twilio ${method.toUpperCase()} ${path} failed${tries}: HTTP ${status}` +
    (code !== undefined ? `, code ${code}` : "") +
    (twilioMessage ? `: ${twilioMessage}` : "") +
    `. Hint: ${hintFor(status, code)}` +
    (moreInfo ? ` (${moreInfo})` : "");
  return Object.assign(new Error(message), { name: "TwilioApiError" as const, status, code, twilioMessage, moreInfo });
}

interface HttpRequest {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  params?: object;
  data?: object;
  [option: string]: unknown;
}
interface HttpResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
  /** How many times the request was sent (1 = no retry), for the error message. */
  attempts?: number;
}

/**
 * The `httpClient` handed to the `twilio` client: redirects to `TWILIO_API_BASE_URL` (read per request,
 * so the emulator and tests can set it late) and retries 429 and 5xx. twilio-node's own `autoRetry`
 * retries only 429 and ignores Retry-After, so it stays off.
 */
export function retryingHttpClient(): { request(options: HttpRequest): Promise<HttpResponse> } {
  const twilio = require("twilio") as typeof import("twilio");
  const inner = new twilio.RequestClient({ timeout: 15_000 });
  return {
    async request(options: HttpRequest): Promise<HttpResponse> {
      const base = process.env["TWILIO_API_BASE_URL"];
      // Twilio's paging links are absolute Twilio URLs; a base-URL link (an emulator's) passes through.
      const uri = base && options.uri.startsWith(base.replace(/\/+$/, "") + "/") ? options.uri : twilioApiUrl(options.uri, base);
      const idempotent = options.method.toLowerCase() !== "post";
      for (let attempt = 1; ; attempt++) {
        let response: HttpResponse;
        try {
          response = (await inner.request({ ...options, uri } as never)) as HttpResponse;
        } catch (error) {
          // A lost connection may or may not have reached Twilio: only reads and deletes are repeated.
          if (!idempotent || attempt >= retryPolicy.attempts) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(`Could not reach Twilio at ${uri}: ${reason}. Hint: check the network, HTTP_PROXY and TWILIO_API_BASE_URL`);
          }
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, undefined, Math.random())));
          continue;
        }
        if (!isRetryableStatus(response.statusCode) || attempt >= retryPolicy.attempts) {
          return { ...response, attempts: attempt };
        }
        const retryAfter = response.headers["retry-after"];
        await new Promise((resolve) =>
          setTimeout(resolve, retryDelayMs(attempt, typeof retryAfter === "string" ? retryAfter : undefined, Math.random())),
        );
      }
    },
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * Form and query values as Twilio wants them: booleans as `true`/`false`, arrays as repeated keys.
 * Null and an empty list become an empty value, Twilio's way to clear a field (twilio-node's own
 * serializer would drop an empty list, so a list could never be cleared).
 */
function encodeForm(form: Form): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined) continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) out[key] = "";
    else out[key] = Array.isArray(value) ? [...(value as readonly string[])] : String(value);
  }
  return out;
}

/** A Twilio API bound to one set of credentials. Built inside each provider method, never kept. */
export function twilioApi(credentials: TwilioCredentials): TwilioApi {
  const twilio = require("twilio") as typeof import("twilio");
  const client = twilio(credentials.accountSid, credentials.authToken, {
    accountSid: credentials.accountSid,
    httpClient: retryingHttpClient() as never,
  });

  async function call(method: "get" | "post" | "delete", url: string, form?: Form, query?: Form): Promise<unknown> {
    const response = (await client.request({
      method,
      uri: url,
      ...(form ? { data: encodeForm(form) } : {}),
      ...(query ? { params: encodeForm(query) } : {}),
    })) as HttpResponse;
    const body = parseBody(response.body);
    if (response.statusCode >= 400) {
      throw twilioApiError(method, url, response.statusCode, body, response.attempts ?? 1);
    }
    return body;
  }

  return {
    get: async <T>(url: string, query?: Form) => (await call("get", url, undefined, query)) as T,
    post: async <T>(url: string, form: Form) => (await call("post", url, form)) as T,
    delete: async (url: string) => {
      await call("delete", url);
    },
    list: async <T>(url: string, key: string, query?: Form) => {
      const items: T[] = [];
      let next: string | null = url;
      let nextQuery: Form | undefined = query;
      while (next) {
        const page = (await call("get", next, undefined, nextQuery)) as Record<string, unknown>;
        items.push(...((page[key] as T[] | undefined) ?? []));
        const meta = page["meta"] as { next_page_url?: string | null } | undefined;
        const uri = page["next_page_uri"];
        // The next link already carries the filters and the page token.
        next = meta?.next_page_url ?? (typeof uri === "string" && uri ? `https://api.twilio.com${uri}` : null);
        nextQuery = undefined;
      }
      return items;
    },
  };
}

/** Path-segment encoding for SIDs, identities and addresses (`+` must travel as `%2B`). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
