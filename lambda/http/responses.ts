import type { HttpResponse } from "./types.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;

export function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { ...JSON_HEADERS }, body: body === undefined ? "" : JSON.stringify(body) };
}

/** Every refusal is a short JSON reason: never a stack trace, never customer data. */
export function failure(status: number, error: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify({ error }) };
}
