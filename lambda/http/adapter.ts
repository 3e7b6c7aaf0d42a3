import { ConfigError } from "../config-error.js";
import { type FormParams, param } from "../form-params.js";
import type { Callback, Deps, Reply } from "../handlers/types.js";
import { TwilioApiError } from "../twilio/rest.js";
import { parseForm } from "./form.js";
import { publicUrl } from "./public-url.js";
import { failure, json } from "./responses.js";
import { isValidSignature } from "./signature.js";
import { type AuthTokenSource, type HttpRequest, type HttpResponse, MAX_BODY_BYTES } from "./types.js";

export interface AdapterOptions {
  /** The callback serving a path; undefined answers 404. */
  route(path: string): Callback | undefined;
  token: AuthTokenSource;
  /** Base of the URLs configured in Twilio; see public-url.ts. */
  publicBaseUrl?: string;
  /** Scheme assumed when neither the base URL nor X-Forwarded-Proto says. */
  defaultScheme: "http" | "https";
  deps: Deps;
}

const FORM = "application/x-www-form-urlencoded";
export const MISCONFIGURED = "callback service is misconfigured; see its logs";

/**
 * request -> checks (cheapest first, nothing parsed before the size check, nothing dispatched before
 * the signature) -> pure handler -> JSON response. Both the Lambda and the local server call this.
 */
export async function handleRequest(request: HttpRequest, options: AdapterOptions): Promise<HttpResponse> {
  const head = checkHead(request, options);
  if ("status" in head) return head;
  const callback = head.callback;
  if (request.body.length > MAX_BODY_BYTES) return tooLarge();
  const signature = request.headers["x-twilio-signature"];
  if (!signature) return failure(400, "X-Twilio-Signature header is missing");

  const params = parseForm(request.body.toString("utf8"));
  const url = publicUrl(request, options.publicBaseUrl, options.defaultScheme);
  try {
    if (!(await verify(options.token, signature, url, params)))
      return failure(403, "X-Twilio-Signature does not match");
  } catch (error) {
    options.deps.log.error("cannot verify signatures", {
      callback: callback.name,
      error: error instanceof Error ? error.message : "unknown",
    });
    return failure(503, "cannot verify the request right now; try again", { "retry-after": "1" });
  }

  try {
    return toResponse(await dispatch(callback, params, options.deps));
  } catch (error) {
    if (error instanceof TwilioApiError) {
      options.deps.log.error("Twilio API call failed", { callback: callback.name, ...error.logFields() });
      return failure(502, `Twilio API call failed${error.code ? ` (error ${error.code})` : ""}`);
    }
    if (error instanceof ConfigError) {
      options.deps.log.error("function is misconfigured", { callback: callback.name, error: error.message });
      return failure(500, MISCONFIGURED);
    }
    options.deps.log.error("callback failed", { callback: callback.name, ...errorLogFields(error) });
    return failure(500, "internal error");
  }
}

/** An error that says itself what a log line may carry of it (the AWS client's errors do). */
function errorLogFields(error: unknown): Record<string, string | number | undefined> {
  const own = (error as { logFields?: unknown } | null)?.logFields;
  if (typeof own === "function") return (own as () => Record<string, string | number | undefined>).call(error);
  return { error: error instanceof Error ? error.message : String(error) };
}

/**
 * The checks that need no body, so a streaming front door can refuse before reading it:
 * unknown path 404, non-POST 405, non-form 415, declared length over the limit 413.
 */
export function checkHead(
  request: Pick<HttpRequest, "method" | "path" | "headers">,
  options: Pick<AdapterOptions, "route">,
): { callback: Callback } | HttpResponse {
  const callback = options.route(request.path);
  if (!callback) return failure(404, "no callback at this path");
  if (request.method !== "POST") return failure(405, "use POST", { allow: "POST" });
  const mediaType = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  // JSON bodies are refused: Frontline V2 signs form bodies, and the signature would not cover JSON.
  if (mediaType !== FORM) return failure(415, `content type must be ${FORM}`);
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return tooLarge();
  return { callback };
}

export const tooLarge = (): HttpResponse => failure(413, `body exceeds ${MAX_BODY_BYTES} bytes`);

async function verify(token: AuthTokenSource, signature: string, url: string, params: FormParams): Promise<boolean> {
  const signedWith = (tokens: readonly string[]) =>
    tokens.find((candidate) => isValidSignature(candidate, signature, url, params));
  // Two tokens are stored while a rotation is in progress; Twilio signs with whichever is primary.
  let match = signedWith(await token.tokens());
  // A rotated Auth Token signs before our cached copy expires: read it again once.
  if (match === undefined) {
    const renewed = await token.refresh();
    match = renewed && signedWith(renewed);
  }
  if (match === undefined) return false;
  token.signedWith(match);
  return true;
}

function dispatch(callback: Callback, params: FormParams, deps: Deps): Promise<Reply> {
  const spec = callback.dispatch;
  if ("handle" in spec) return spec.handle(params, deps);
  const key = param(params, spec.key);
  const handler = key !== undefined && Object.hasOwn(spec.routes, key) ? spec.routes[key] : undefined;
  if (handler) return handler(params, deps);
  if (spec.unknown === "ignore") return Promise.resolve({ status: 200 });
  return Promise.resolve({
    status: 422,
    body: { error: key ? `unsupported ${spec.key} ${key.slice(0, 64)}` : `${spec.key} is required` },
  });
}

function toResponse(reply: Reply): HttpResponse {
  return json(reply.status, reply.body);
}
