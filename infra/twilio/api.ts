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
  /** `template` with each `{}` replaced by the next `/`-separated part of `id`, URL-encoded (addresses: `+` must travel as `%2B`). */
  at(template: string, id: string): string;
  get<T>(url: string, query?: Form): Promise<T>;
  /**
   * A write. Absolute values (the default) are sent again after a 5xx or a dropped connection:
   * repeating them is harmless. `once` marks a create, whose repetition is not: it is sent once and
   * an answer that may hide a landed write fails with {@link mayHaveLanded} true, for the caller
   * to look the object up by its natural key.
   */
  post<T>(url: string, form: Form, options?: { once?: boolean }): Promise<T>;
  delete(url: string): Promise<void>;
  /** Every item of a paged list (v1 `meta.next_page_url` or 2010 `next_page_uri`), filters applied. */
  list<T>(url: string, key: string, query?: Form): Promise<T[]>;
  /** The call's result, or undefined when Twilio answers 20404 (deleted outside Pulumi, or never there). */
  ifFound<T>(call: Promise<T>): Promise<T | undefined>;
}

/** A failed Twilio call. Its message carries Twilio's code and message and a hint; `code` is for branching. */
export interface TwilioApiError extends Error {
  readonly name: "TwilioApiError";
  /** 0 when no answer came (connection dropped, timeout). */
  readonly status: number;
  readonly code: number | undefined;
}

/** Retries of 429 and 5xx: capped exponential backoff, Retry-After (seconds or a date) wins up to `maxDelayMs`. */
export const RETRY = { attempts: 5, baseDelayMs: 250, capDelayMs: 4_000, maxDelayMs: 30_000 } as const;

interface HttpResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/**
 * A Twilio API for one provider call. Credentials: the stack config `configure()` received
 * (`twilio:accountSid`, secret `twilio:authToken`), else TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN.
 * Requests go through twilio-node's `RequestClient` (Basic auth, form encoding with repeated keys),
 * to TWILIO_API_BASE_URL when set (read per request; only Twilio URLs move, an emulator's own paging
 * links pass through). 429 and 5xx are retried with capped exponential backoff, Retry-After (seconds
 * or a date) winning (twilio-node's own `autoRetry` retries only 429 and ignores Retry-After). A 5xx
 * or a dropped connection is retried for every call but a create (`once`): reads, deletes and
 * absolute-value writes come out the same when repeated; a create may have landed. Twilio does not
 * process a throttled request (429), so even a create is sent again after one. Null and an empty
 * list are sent as an empty value, Twilio's way to clear a field. Errors carry Twilio's code and
 * message (or the text of a body that is not JSON, such as a proxy's error page) and a hint. A
 * list's next link carries the filters and the page token itself (v1: absolute; 2010: relative).
 * Comments stay out of the body: the serializer copies it into every `__provider`.
 */
export function twilioApi(config: ProviderConfig | undefined): TwilioApi {
  const accountSid = config?.get("twilio:accountSid") ?? process.env["TWILIO_ACCOUNT_SID"];
  const authToken = config?.get("twilio:authToken") ?? process.env["TWILIO_AUTH_TOKEN"];
  if (!accountSid || !authToken) {
    throw new Error("Twilio credentials are missing: `pulumi config set twilio:accountSid AC...` and `pulumi config set --secret twilio:authToken ...`, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
  }
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new Error("twilio:accountSid must be an Account SID: AC followed by 32 hex characters");
  const inner = new (require("twilio") as typeof import("twilio")).RequestClient({ timeout: 15_000 });

  async function call(method: string, url: string, form?: Form, query?: Form, once?: boolean): Promise<unknown> {
    const encode = (values?: Form) =>
      values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null || (Array.isArray(v) && !v.length) ? "" : Array.isArray(v) ? v : String(v)]));
    const uri = /^https:\/\/[a-z0-9-]+\.twilio\.com\//.test(url) ? twilioApiUrl(url, process.env["TWILIO_API_BASE_URL"]) : url;
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const request = { method, uri, username: accountSid, password: authToken, headers, data: encode(form), params: encode(query) };
    let response: HttpResponse | undefined;
    let attempt = 1;
    for (; ; attempt++) {
      response = await (inner.request(request as never) as Promise<HttpResponse>).catch((error: Error) => {
        if (once || attempt >= RETRY.attempts) {
          throw Object.assign(new Error(`Could not reach ${uri}${attempt > 1 ? ` after ${attempt} attempts` : ""}: ${error.message}`), { name: "TwilioApiError", status: 0 });
        }
        return undefined;
      });
      const s = response?.statusCode ?? 500;
      if (response && (s < 500 || once || attempt >= RETRY.attempts) && (s !== 429 || attempt >= RETRY.attempts)) break;
      const retryAfter = response?.headers["retry-after"];
      const after = typeof retryAfter !== "string" || !retryAfter.trim() ? NaN : /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - Date.now();
      const ceiling = Math.min(RETRY.capDelayMs, RETRY.baseDelayMs * 2 ** (attempt - 1));
      const ms = Number.isFinite(after) ? Math.min(Math.max(after, 0), RETRY.maxDelayMs) : ceiling / 2 + (ceiling / 2) * Math.random();
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    let body = response.body;
    try {
      body = typeof body === "string" && body ? JSON.parse(body) : body;
    } catch {}
    const status = response.statusCode;
    if (status < 400) return body;
    const { code, message, detail, more_info } = ((typeof body === "object" && body) || {}) as Record<string, unknown>;
    const hint = [
      [code === 20003 || status === 401, "check twilio:accountSid and twilio:authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)"],
      [code === 20404 || status === 404, "not on this account: check the SID, or `pulumi refresh` if it was deleted outside"],
      [status === 429, "still rate limited: run again later, or with less --parallel"],
      [status >= 500 && once, "it may have been done all the same: run again, it looks first"],
      [status >= 500, "Twilio kept failing after every retry: run again later"],
      [true, "Twilio refused a parameter: check the resource's arguments"],
    ].find(([when]) => when)![1];
    const text = String(message ?? detail ?? (typeof body === "string" ? body : "")).trim();
    throw Object.assign(
      new Error(
        `Twilio ${method.toUpperCase()} ${url.replace(/^https:\/\/([a-z-]+)\.twilio\.com/, "$1")} failed${attempt > 1 ? ` after ${attempt} attempts` : ""}: ` +
          `HTTP ${status}${typeof code === "number" ? `, code ${code}` : ""}${text && `: ${text}`}. Hint: ${hint}${more_info ? ` (${more_info})` : ""}`,
      ),
      { name: "TwilioApiError", status, code: typeof code === "number" ? code : undefined },
    );
  }

  return {
    accountSid,
    at: (template: string, id: string) => ((parts) => template.replace(/\{\}/g, () => encodeURIComponent(parts.shift() ?? "")))(id.split("/")),
    get: async <T>(url: string, query?: Form) => (await call("get", url, undefined, query)) as T,
    post: async <T>(url: string, form: Form, options?: { once?: boolean }) => (await call("post", url, form, undefined, options?.once)) as T,
    delete: async (url: string) => void (await call("delete", url)),
    list: async <T>(url: string, key: string, query?: Form) => {
      const items: T[] = [];
      for (let next: string | null = url, filters = query; next; filters = undefined) {
        const page = (await call("get", next, undefined, filters)) as Record<string, unknown> & { meta?: { next_page_url?: string | null }; next_page_uri?: string | null };
        items.push(...((page[key] as T[] | undefined) ?? []));
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

