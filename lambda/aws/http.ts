import type { IncomingHttpHeaders } from "node:http";

// Not `import`: in the ESM bundle an import of a builtin reads all its exports, and node:http's
// WebSocket, CloseEvent and MessageEvent getters load undici; measured 30-130 ms on a cold start,
// against 1-4 ms for the module object itself.
const http = process.getBuiltinModule("node:http");
// node:https (and node:tls under it) only once an https URL is called: a local endpoint needs neither.
let https: typeof import("node:https") | undefined;
const tls = () => (https ??= process.getBuiltinModule("node:https"));

/**
 * One HTTP exchange over node:http/https with keep-alive agents. Not the global `fetch`: its first
 * call loads undici, which measured about 0.3x of the AWS SDK's own import on a cold start, while
 * node:http is already part of the runtime's start.
 */
export interface HttpExchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Gives up after this long (connect, send and read together). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Thrown for a request that timed out, was aborted, or never got an answer (reset, refused, DNS). */
export class HttpNetworkError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    // The socket's own error, whose `code` (ECONNREFUSED, ENOTFOUND, ...) names the cause in logs.
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = timedOut ? "TimeoutError" : "NetworkError";
  }
}

// A warm Lambda container reuses its connections; idle ones are dropped before the far end does it.
let httpAgent: import("node:http").Agent | undefined;
let httpsAgent: import("node:https").Agent | undefined;
function agentFor(url: URL): import("node:http").Agent {
  if (url.protocol === "https:") {
    httpsAgent ??= new (tls().Agent)({ keepAlive: true, maxSockets: 50 });
    return httpsAgent;
  }
  httpAgent ??= new http.Agent({ keepAlive: true, maxSockets: 50 });
  return httpAgent;
}

export function exchange(request: HttpExchange): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = request.url.protocol === "https:" ? tls().request : http.request;
    const headers = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    let settled = false;
    const fail = (error: HttpNetworkError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(new HttpNetworkError(`request to ${request.url.host} aborted`, true));
    const req = send(request.url, { method: request.method, headers, agent: agentFor(request.url) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => fail(new HttpNetworkError(error.message, false, { cause: error })));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", onAbort);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    const timeoutMs = Math.max(1, request.timeoutMs);
    const timer = setTimeout(
      () => fail(new HttpNetworkError(`no answer from ${request.url.host} within ${Math.round(timeoutMs)} ms`, true)),
      timeoutMs,
    );
    // Listening for errors first: aborting destroys the request, which emits one.
    req.on("error", (error) =>
      fail(new HttpNetworkError(`${request.url.host}: ${error.message}`, false, { cause: error })),
    );
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    req.end(request.body);
  });
}

/**
 * The slice of `fetch` that the Twilio REST helper uses (status, ok, text(), headers.get()), over
 * `exchange`, so Twilio calls on a cold start do not load undici either.
 */
export async function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  // Only strings and URLs come here; a Request's url is taken without touching the global class.
  const target = typeof input === "string" || input instanceof URL ? input : input.url;
  // Plain objects only: the global Headers class is undici too.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
    headers[name.toLowerCase()] = value;
  }
  try {
    const answer = await exchange({
      method: init.method ?? "GET",
      url: new URL(target),
      headers,
      body: typeof init.body === "string" ? init.body : undefined,
      timeoutMs: 30_000,
      signal: init.signal ?? undefined,
    });
    const response = {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      headers: { get: (name: string) => headerText(answer.headers[name.toLowerCase()]) },
      text: async () => answer.body,
      json: async () => JSON.parse(answer.body) as unknown,
    };
    return response as unknown as Response;
  } catch (error) {
    // A timeout keeps its TimeoutError name, as fetch's does; any other failure becomes fetch's
    // TypeError with the socket error as its cause, where callers look for the code.
    if (error instanceof HttpNetworkError && error.timedOut) throw error;
    throw new TypeError(error instanceof Error ? error.message : "network error", { cause: error });
  }
}

const headerText = (value: string | string[] | undefined): string | null =>
  value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
