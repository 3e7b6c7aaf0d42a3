/**
 * One request's way through the emulator: map the path prefix back to the Twilio host, check
 * Basic auth, find the spec operation (404 if none), validate (400), record, then either answer
 * an injected fault or run the handler. Only requests that reach the recording step are in the
 * in-memory log; refused ones go to the log file only, with their violations. An `afterWrite` fault
 * runs the handler first and then answers the fault (or drops the connection): the write lands and
 * its answer is lost, as happens with real servers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, ErrorCode, invalidParameter, notFound, TwilioError } from "./errors.js";
import type { FaultQueue } from "./faults.js";
import { Fields, flatten, parseForm } from "./form.js";
import type { RequestLog } from "./request-log.js";
import type { Reply } from "./router.js";
import { routes } from "./routes.js";
import { findOperation, isProduct, productHost } from "./spec/catalog.js";
import { validateRequest } from "./spec/validator.js";
import type { Store } from "./store.js";
import type { MultiValue } from "./types.js";

export interface ServerDeps {
  store: Store;
  log: RequestLog;
  faults: FaultQueue;
  authToken: string;
}

const MAX_BODY_BYTES = 1 << 20;

/** A fault's "close the connection without answering". */
const DROP = Symbol("drop");
type Answer = Reply | TwilioError | typeof DROP;

export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void readBody(req)
      .then((body) => handle(deps, req, body))
      .catch((err: unknown) => (err instanceof TwilioError ? err : internalError(err)))
      .then((answer) => (answer === DROP ? void req.socket.destroy() : send(res, answer)))
      // Only writing the answer can fail here (the client went away): nothing is left to tell it.
      .catch(() => req.socket.destroy());
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter("Request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function handle(deps: ServerDeps, req: IncomingMessage, body: string): Answer {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const emulatorPath = url.pathname;
  const [, product = "", ...rest] = emulatorPath.split("/");
  const path = "/" + rest.join("/");
  if (!isProduct(product)) return notFound(emulatorPath);
  if (!authorized(req, deps)) return authenticate();
  const query = parseForm(url.search);
  // Every request the spec or the protocol refuses is logged in one place, so an audit of the log
  // counts all of them.
  const refuse = (error: TwilioError, problems: string[], form: MultiValue = {}): TwilioError => {
    const entry = { method, host: productHost(product), path, query: flatten(query), form: flatten(form) };
    deps.log.reject({ ...entry, status: error.status }, problems);
    return error;
  };

  let match: ReturnType<typeof findOperation>;
  try {
    match = findOperation(product, method, path);
  } catch (err) {
    if (err instanceof URIError) return refuse(invalidParameter(`Malformed path ${path}`), ["malformed path"]);
    throw err;
  }
  if (!match) return refuse(notFound(path), [`${method} ${path} is not an operation of the spec`]);

  let form: MultiValue = {};
  if (body.length > 0) {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      const problem = `Content-Type must be application/x-www-form-urlencoded, got ${JSON.stringify(type)}`;
      return refuse(invalidParameter(problem), [problem]);
    }
    form = parseForm(body);
  }
  const problems = validateRequest(match.operation, { params: match.params, query, headers: req.headers, form });
  if (problems.length > 0) return refuse(invalidParameter(problems.join("; ")), problems, form);

  const { answer, landedStatus } = dispatch(deps, {
    method,
    product,
    path,
    emulatorPath,
    params: match.params,
    query,
    form,
    template: match.operation.template,
    headers: req.headers,
  });
  deps.log.record({
    method,
    host: productHost(product),
    path,
    query: flatten(query),
    form: flatten(form),
    status: answer === DROP ? 0 : answer.status,
    ...(landedStatus === undefined ? {} : { landedStatus }),
  });
  return answer;
}

interface ValidRequest {
  method: string;
  product: Parameters<typeof productHost>[0];
  path: string;
  emulatorPath: string;
  template: string;
  params: Record<string, string>;
  query: MultiValue;
  form: MultiValue;
  headers: IncomingMessage["headers"];
}

function dispatch(deps: ServerDeps, r: ValidRequest): { answer: Answer; landedStatus?: number } {
  const fault = deps.faults.take(r.method, r.emulatorPath);
  const faulted = fault?.answer === "drop" ? DROP : fault?.answer;
  if (fault && faulted && !fault.afterWrite) return { answer: faulted };
  const answer = run(deps, r);
  return fault && faulted ? { answer: faulted, landedStatus: answer.status } : { answer };
}

function run(deps: ServerDeps, r: ValidRequest): Reply | TwilioError {
  const handler = routes.find(r.product, r.method, r.template);
  if (!handler) {
    return new TwilioError(
      501,
      ErrorCode.NotImplemented,
      `The Twilio emulator does not implement ${r.method} ${r.template} (${productHost(r.product)}); it is in the spec`,
    );
  }
  try {
    return handler({
      store: deps.store,
      product: r.product,
      host: productHost(r.product),
      path: r.path,
      params: r.params,
      query: new Fields(r.query),
      form: new Fields(r.form),
      headers: r.headers,
    });
  } catch (err) {
    if (err instanceof TwilioError) return err;
    return internalError(err);
  }
}

/** Only the account's own SID and Auth Token are accepted (no API keys: nothing here uses them). */
function authorized(req: IncomingMessage, deps: ServerDeps): boolean {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 && decoded.slice(0, colon) === deps.store.accountSid && decoded.slice(colon + 1) === deps.authToken;
}

/** An emulator bug must fail the test loudly, with the cause in the answer. */
function internalError(err: unknown): TwilioError {
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new TwilioError(500, ErrorCode.InternalServerError, `Twilio emulator error: ${detail}`);
}

function send(res: ServerResponse, answer: Reply | TwilioError): void {
  const status = answer.status;
  const headers: Record<string, string> = answer instanceof TwilioError ? { ...answer.headers } : {};
  const body = answer instanceof TwilioError ? answer.body() : answer.body;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
    })
    .end(text);
}
