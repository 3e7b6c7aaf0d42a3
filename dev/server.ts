import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AdapterOptions, checkHead, handleRequest, tooLarge } from "../lambda/http/adapter.js";
import { failure } from "../lambda/http/responses.js";
import { type HttpResponse, MAX_BODY_BYTES } from "../lambda/http/types.js";

/** Serves the callbacks over node:http through the same adapter the Lambda functions use. */
export function createCallbackServer(app: AdapterOptions): Server {
  return createServer((req, res) => {
    serve(req, res, app).catch(() => send(res, failure(500, "internal error")));
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, app: AdapterOptions): Promise<void> {
  const [path = "", rawQuery = ""] = splitOnce(req.url ?? "", "?");
  const head = { method: req.method ?? "", path, headers: req.headers as Record<string, string | undefined> };
  const refused = checkHead(head, app);
  if ("status" in refused) return refuseEarly(req, res, refused);
  const body = await readBody(req);
  if (!body) return refuseEarly(req, res, tooLarge());
  send(res, await handleRequest({ ...head, rawQuery, body }, app));
}

/** Counts bytes as they arrive and stops at the limit, so an oversized body is never buffered. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

function refuseEarly(req: IncomingMessage, res: ServerResponse, response: HttpResponse): void {
  // The unread rest of the body would otherwise be parsed as the next request on this connection.
  if (!req.complete) res.setHeader("connection", "close");
  send(res, response);
  if (!req.complete) res.once("finish", () => req.destroy());
}

function send(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
  res.end(response.body);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}
