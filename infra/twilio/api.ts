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

/** What `configure()` hands a provider: the stack config, secrets already unwrapped. Kept only in memory. */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

/**
 * A provider as each resource file builds it: an object literal, not a class instance, because the
 * serializer spends ~150 bytes on every prototype method and on the constructor, and `__provider`
 * has a 20 KB budget. `config` is set by `configure()` in the host, never before serialization.
 */
export type TwilioProvider<Inputs, Outputs> = pulumi.dynamic.ResourceProvider<Inputs, Outputs> & {
  config: ProviderConfig | undefined;
};

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
   * an answer that may hide a landed write (5xx, status 0) fails at once, for the caller to look
   * the object up by its natural key.
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

/** A page of a list: v1 links the next page absolutely (`meta.next_page_url`), 2010 relatively (`next_page_uri`). */
/** The fields of Twilio's error answer. */
type ErrorBody = { code?: unknown; message?: unknown; detail?: unknown; more_info?: unknown };

type Page = Record<string, unknown> & { meta?: { next_page_url?: string | null }; next_page_uri?: string | null };

/**
 * What a failed call's message tells the user to do, by HTTP status (Twilio's codes 20003 and 20404
 * count as 401 and 404). A 5xx answer to a create is `lost`: the write may have landed. Anything
 * else is a refused parameter (`400`).
 */
const HINTS: Record<string, string> = {
  401: "check twilio:accountSid and twilio:authToken (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)",
  404: "not on this account: check the SID, or `pulumi refresh` if it was deleted outside",
  429: "still rate limited: run again later, or with less --parallel",
  500: "Twilio kept failing after every retry: run again later",
  lost: "it may have been done all the same: run again, it looks first",
  400: "Twilio refused a parameter: check the resource's arguments",
};

/**
 * A Twilio API for one provider call. Where a request goes is contract/twilio-api-url.ts's rule
 * (`https://<product>.twilio.com/<path>` becomes `<TWILIO_API_BASE_URL>/<product>/<path>`), restated
 * inside `call` because each function the serializer captures costs `__provider` about 500 bytes;
 * test/providers/api.test.ts holds the two to the same answers. Credentials: the stack config `configure()` received
 * (`twilio:accountSid`, secret `twilio:authToken`), else TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN.
 * Requests go through twilio-node's `RequestClient` (Basic auth, form encoding with repeated keys),
 * to TWILIO_API_BASE_URL when set (read per request; only Twilio URLs move, an emulator's own paging
 * links pass through). 429 and 5xx are retried with capped exponential backoff, Retry-After (seconds
 * or a date) winning (twilio-node's own `autoRetry` retries only 429 and ignores Retry-After). A 5xx
 * or a dropped connection is retried for every call but a create (`once`): reads, deletes and
 * absolute-value writes come out the same when repeated; a create may have landed. Twilio does not
 * process a throttled request (429), so even a create is sent again after one. A dropped connection
 * is an answer with status 0 whose body is the network error's message, so it takes the same path
 * as any other failure. Null and an empty list are sent as an empty value, Twilio's way to clear a
 * field. Errors carry Twilio's code and message (or the text of a body that is not JSON, such as a
 * proxy's error page) and a hint. A list's next link carries the filters and the page token itself.
 * Comments stay out of the body: the serializer copies it into every `__provider`.
 */
export function twilioApi(config: ProviderConfig | undefined): TwilioApi {
  const accountSid = config?.get("twilio:accountSid") ?? process.env["TWILIO_ACCOUNT_SID"];
  const authToken = config?.get("twilio:authToken") ?? process.env["TWILIO_AUTH_TOKEN"];
  if (!accountSid || !authToken) {
    throw new Error(
      "Twilio credentials are missing: `pulumi config set twilio:accountSid AC...` and `pulumi config set --secret twilio:authToken ...`, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    );
  }
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid))
    throw new Error("twilio:accountSid must be an Account SID: AC followed by 32 hex characters");
  const inner = new (require("twilio") as typeof import("twilio")).RequestClient({ timeout: 15_000 });

  async function call(method: string, url: string, form?: Form, query?: Form, once?: boolean): Promise<unknown> {
    const encode = (values?: Form) =>
      values &&
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) && v.length ? v : `${v ?? ""}`]));
    const [, product, path] = /^https:\/\/([a-z0-9-]+)\.twilio\.com(\/.*)/.exec(url) ?? [];
    const base = process.env["TWILIO_API_BASE_URL"]?.replace(/\/+$/, "");
    const uri = product && base ? `${base}/${product}${path}` : url;
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const [data, params] = [encode(form), encode(query)];
    const request = { method, uri, username: accountSid, password: authToken, headers, data, params };
    for (let attempt = 1; ; attempt++) {
      const response = await (inner.request(request as never) as Promise<HttpResponse>).catch(
        (error: Error): HttpResponse => ({ statusCode: 0, body: error.message, headers: {} }),
      );
      const status = response.statusCode;
      if (attempt < RETRY.attempts && (status === 429 || (!once && (!status || status >= 500)))) {
        const retryAfter = response.headers["retry-after"];
        const after = Number(retryAfter) * 1000 || Date.parse(String(retryAfter)) - Date.now();
        const ceiling = Math.min(RETRY.capDelayMs, RETRY.baseDelayMs * 2 ** (attempt - 1));
        const ms = Number.isNaN(after)
          ? (ceiling * (1 + Math.random())) / 2
          : Math.min(Math.max(after, 0), RETRY.maxDelayMs);
        await new Promise((resolve) => setTimeout(resolve, ms));
        continue;
      }
      let body = response.body;
      try {
        body = JSON.parse(body as string);
      } catch {}
      if (status && status < 400) return body;
      const { code, message, detail, more_info } = ((typeof body === "object" && body) || {}) as ErrorBody;
      const text = String(message ?? detail ?? (typeof body === "string" ? body : "")).trim();
      const tries = attempt > 1 ? ` after ${attempt} attempts` : "";
      const known = typeof code === "number" ? code : undefined;
      const key = known === 20003 ? 401 : known === 20404 ? 404 : status < 500 ? status : once ? "lost" : 500;
      const what = `HTTP ${status}${known ? `, code ${known}` : ""}${text && `: ${text}`}`;
      const where = `${method.toUpperCase()} ${product ? product + path : url}`;
      const hint = `${HINTS[key] ?? HINTS[400]}${more_info ? ` (${more_info})` : ""}`;
      throw Object.assign(
        new Error(
          status ? `Twilio ${where} failed${tries}: ${what}. Hint: ${hint}` : `Could not reach ${uri}${tries}: ${text}`,
        ),
        { name: "TwilioApiError", status, code: known },
      );
    }
  }

  return {
    accountSid,
    at: (template: string, id: string) => {
      const parts = id.split("/");
      return template.replace(/\{\}/g, () => encodeURIComponent(parts.shift() ?? ""));
    },
    get: <T>(url: string, query?: Form) => call("get", url, undefined, query) as Promise<T>,
    post: <T>(url: string, form: Form, options?: { once?: boolean }) =>
      call("post", url, form, undefined, options?.once) as Promise<T>,
    delete: async (url: string) => void (await call("delete", url)),
    list: async <T>(url: string, key: string, query?: Form) => {
      const items: T[] = [];
      for (let next: string | null = url, filters = query; next; filters = undefined) {
        const page = (await call("get", next, undefined, filters)) as Page;
        items.push(...((page[key] as T[] | undefined) ?? []));
        next = page.meta?.next_page_url ?? (page.next_page_uri ? `https://api.twilio.com${page.next_page_uri}` : null);
      }
      return items;
    },
    ifFound: <T>(pending: Promise<T>) =>
      pending.catch((error: Partial<TwilioApiError>) => {
        const gone = error.code === 20404 || (error.code === undefined && error.status === 404);
        if (error.name === "TwilioApiError" && gone) return undefined;
        throw error;
      }),
  };
}

/** Twilio's error code of a failed call, for the few codes a provider branches on (21710, 21712). */
export function twilioCode(error: unknown): number | undefined {
  return (error as Partial<TwilioApiError> | undefined)?.name === "TwilioApiError"
    ? (error as TwilioApiError).code
    : undefined;
}
