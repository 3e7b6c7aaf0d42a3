/**
 * Twilio REST access for the dynamic providers.
 *
 * This code is serialized by value into every provider's `__provider` text (Pulumi copies the
 * project's own functions and `require`s only node_modules), and the serializer wraps each captured
 * function in ~250 bytes of scaffolding. So the module's logic is one function, `twilioApi`, whose
 * helpers are inner functions (copied as part of its text). `twilio` is `require`d inside, which
 * keeps only the package name in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { twilioApiUrl } from "../../contract/twilio-api-url.js";

/** What `configure()` hands a provider: the stack config, secrets already unwrapped. Kept only in memory. */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

/**
 * A provider as each resource file builds it: an object literal, not a class instance, because the
 * serializer spends ~150 bytes on every prototype method and on the constructor, and `__provider`
 * has a 20 KB budget. `config` is set by `configure()` in the host, never before serialization.
 */
export type TwilioProvider<Inputs, Outputs> = pulumi.dynamic.ResourceProvider<Inputs, Outputs> & { config: ProviderConfig | undefined };

export type FormValue = string | number | boolean | null | readonly string[];
export type Form = Readonly<Record<string, FormValue>>;

export interface TwilioApi {
  readonly accountSid: string;
  /** `base` followed by each segment URL-encoded (SIDs, identities, addresses: `+` must travel as `%2B`). */
  url(base: string, ...segments: string[]): string;
  get<T>(url: string, query?: Form): Promise<T>;
  post<T>(url: string, form: Form): Promise<T>;
  delete(url: string): Promise<void>;
  /** Every item of a paged list (v1 `meta.next_page_url` or 2010 `next_page_uri`), filters applied. */
  list<T>(url: string, key: string, query?: Form): Promise<T[]>;
  /** The call's result, or undefined when Twilio answers 20404 (deleted outside Pulumi, or never there). */
  ifFound<T>(call: Promise<T>): Promise<T | undefined>;
}

/** A failed Twilio call. Its message carries Twilio's code and message and a hint; `code` is for branching. */
export interface TwilioApiError extends Error {
  readonly name: "TwilioApiError";
  readonly status: number;
  readonly code: number | undefined;
}

/** Retries of 429 and 5xx: capped exponential backoff, Retry-After (seconds or a date) wins up to `maxDelayMs`. */
export const RETRY = { attempts: 5, baseDelayMs: 250, capDelayMs: 4_000, maxDelayMs: 30_000 } as const;

interface HttpRequest {
  method: string;
  uri: string;
  [option: string]: unknown;
}
interface HttpResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
  /** How many times the request was sent, for the error message. */
  attempts?: number;
}

/**
 * A Twilio API for one provider call. Credentials: the stack config `configure()` received
 * (`twilio:accountSid`, secret `twilio:authToken`), else TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN.
 * Requests go through a `twilio` client whose `httpClient` applies TWILIO_API_BASE_URL (read per
 * request) and retries 429 and 5xx (twilio-node's own `autoRetry` retries only 429 and ignores
 * Retry-After). A dropped connection is retried for reads and deletes only: a write may have landed.
 * Null and an empty list are sent as an empty value, Twilio's way to clear a field (twilio-node
 * would drop an empty list). Errors carry Twilio's code and message and a hint for the next step.
 */
export function twilioApi(config: ProviderConfig | undefined): TwilioApi {
  const accountSid = config?.get("twilio:accountSid") ?? process.env["TWILIO_ACCOUNT_SID"];
  const authToken = config?.get("twilio:authToken") ?? process.env["TWILIO_AUTH_TOKEN"];
  if (!accountSid || !authToken) {
    throw new Error("Twilio credentials are missing: `pulumi config set twilio:accountSid AC...` and `pulumi config set --secret twilio:authToken ...` (or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)");
  }
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new Error("twilio:accountSid must be an Account SID: AC followed by 32 hex characters");
  const twilio = require("twilio") as typeof import("twilio");
  const inner = new twilio.RequestClient({ timeout: 15_000 });

  async function send(options: HttpRequest): Promise<HttpResponse> {
    // Only Twilio URLs move; an emulator's own paging links pass through.
    const uri = /^https:\/\/[a-z0-9-]+\.twilio\.com\//.test(options.uri) ? twilioApiUrl(options.uri, process.env["TWILIO_API_BASE_URL"]) : options.uri;
    for (let attempt = 1; ; attempt++) {
      const response = await (inner.request({ ...options, uri } as never) as Promise<HttpResponse>).catch((error: Error) => {
        if (options.method === "post" || attempt >= RETRY.attempts) throw new Error(`Could not reach ${uri}: ${error.message}`);
      });
      if (response && ((response.statusCode !== 429 && response.statusCode < 500) || attempt >= RETRY.attempts)) return { ...response, attempts: attempt };
      const retryAfter = response?.headers["retry-after"];
      const after = typeof retryAfter !== "string" || !retryAfter.trim() ? NaN : /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - Date.now();
      const ceiling = Math.min(RETRY.capDelayMs, RETRY.baseDelayMs * 2 ** (attempt - 1));
      const ms = Number.isFinite(after) ? Math.min(Math.max(after, 0), RETRY.maxDelayMs) : ceiling / 2 + (ceiling / 2) * Math.random();
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }
  const client = twilio(accountSid, authToken, { accountSid, httpClient: { request: send } as never });

  async function call(method: "get" | "post" | "delete", url: string, form?: Form, query?: Form): Promise<unknown> {
    const encode = (values: Form) =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null || (Array.isArray(v) && !v.length) ? "" : Array.isArray(v) ? v : String(v)]));
    const response = (await client.request({ method, uri: url, data: form && encode(form), params: query && encode(query) })) as HttpResponse;
    let body = response.body;
    try {
      body = typeof body === "string" && body ? JSON.parse(body) : body;
    } catch {
      // Not JSON (a proxy's error page): the text goes into the message.
    }
    const status = response.statusCode;
    if (status < 400) return body;
    const { code, message, detail, more_info } = ((typeof body === "object" && body) || {}) as Record<string, unknown>;
    const hint =
      code === 20003 || status === 401 ? "check twilio:accountSid and twilio:authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)"
      : code === 20404 || status === 404 ? "not on this account: check the SID, or `pulumi refresh` if it was deleted outside Pulumi"
      : status === 429 ? "still rate limited after every retry: run again later, or with less --parallel"
      : status >= 500 ? "Twilio kept failing after every retry: check status.twilio.com, run again"
      : "Twilio refused a parameter: check the resource's arguments";
    const attempts = (response.attempts ?? 1) > 1 ? ` after ${response.attempts} attempts` : "";
    const detailText = String(message ?? detail ?? (typeof body === "string" ? body : "")).trim();
    const path = url.replace(/^https:\/\/([a-z-]+)\.twilio\.com/, "$1");
    throw Object.assign(
      new Error(`Twilio ${method.toUpperCase()} ${path} failed${attempts}: HTTP ${status}${typeof code === "number" ? `, code ${code}` : ""}${detailText && `: ${detailText}`}. Hint: ${hint}${more_info ? ` (${more_info})` : ""}`),
      { name: "TwilioApiError", status, code: typeof code === "number" ? code : undefined },
    );
  }

  return {
    accountSid,
    url: (base: string, ...segments: string[]) => [base, ...segments.map(encodeURIComponent)].join("/"),
    get: async <T>(url: string, query?: Form) => (await call("get", url, undefined, query)) as T,
    post: async <T>(url: string, form: Form) => (await call("post", url, form)) as T,
    delete: async (url: string) => void (await call("delete", url)),
    list: async <T>(url: string, key: string, query?: Form) => {
      const items: T[] = [];
      for (let next: string | null = url, filters = query; next; filters = undefined) {
        const page = (await call("get", next, undefined, filters)) as Record<string, unknown> & { meta?: { next_page_url?: string | null }; next_page_uri?: string | null };
        items.push(...((page[key] as T[] | undefined) ?? []));
        // The next link carries the filters and the page token itself (v1: absolute; 2010: relative).
        next = page.meta?.next_page_url ?? (page.next_page_uri ? `https://api.twilio.com${page.next_page_uri}` : null);
      }
      return items;
    },
    ifFound: <T>(pending: Promise<T>) =>
      pending.catch((error: Partial<TwilioApiError>) => {
        if (error.name === "TwilioApiError" && (error.code === 20404 || (error.code === undefined && error.status === 404))) return undefined;
        throw error;
      }),
  };
}

/** Twilio's error code of a failed call, for the few codes a provider branches on (21710, 21712). */
export function twilioCode(error: unknown): number | undefined {
  return (error as Partial<TwilioApiError> | undefined)?.name === "TwilioApiError" ? (error as TwilioApiError).code : undefined;
}
