/** A request as both front doors (Lambda, local server) hand it to the adapter. */
export interface HttpRequest {
  method: string;
  /** Path without query string, e.g. `/callbacks/crm`. */
  path: string;
  /** Query string without `?`, exactly as received (it is part of the signed URL). */
  rawQuery: string;
  /** Header names lowercased. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes (already base64-decoded). */
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Frontline and Conversations post at most a few KB; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;
