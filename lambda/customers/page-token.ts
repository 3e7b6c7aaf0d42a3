import { InvalidPageTokenError } from "./directory.js";

/** Where a page ends, bound to the list it belongs to. */
export interface PagePosition {
  /** Lowercased worker the list was for. */
  workerKey: string;
  /** Search key the list was for ("" for no filter). */
  searchKey: string;
  /** customer_id of the last row handed out; the next page starts strictly after it. */
  after: string;
}

/** Far above any token we issue (ids and search keys are bounded); stops giant inputs before decoding. */
const MAX_TOKEN_LENGTH = 4096;
const VERSION = 1;

interface TokenBody {
  v: number;
  w: string;
  q: string;
  a: string;
}

/**
 * base64url of a small JSON object. Not signed: a forged token can only point at a position in the
 * caller's own list (as an `anchor` can), so integrity buys nothing; binding it to the worker and the
 * query is what stops a token from one list silently paging another.
 */
export function encodePageToken(position: PagePosition): string {
  const body: TokenBody = { v: VERSION, w: position.workerKey, q: position.searchKey, a: position.after };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/** The customer_id the token's page starts after; throws InvalidPageTokenError unless it was issued for this list. */
export function decodePageToken(token: string, expected: { workerKey: string; searchKey: string }): string {
  const body = parseBody(token);
  if (body.w !== expected.workerKey || body.q !== expected.searchKey) throw new InvalidPageTokenError();
  return body.a;
}

function parseBody(token: string): TokenBody {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidPageTokenError();
  const bytes = Buffer.from(token, "base64url");
  // Node's base64 decoder skips what it cannot read; re-encoding catches truncated or padded variants.
  if (bytes.toString("base64url") !== token) throw new InvalidPageTokenError();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidPageTokenError();
  }
  if (!isTokenBody(value)) throw new InvalidPageTokenError();
  return value;
}

function isTokenBody(value: unknown): value is TokenBody {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return (
    keys.length === 4 &&
    record.v === VERSION &&
    typeof record.w === "string" &&
    typeof record.q === "string" &&
    typeof record.a === "string" &&
    record.a !== ""
  );
}
