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

/**
 * Where the Auth Token comes from. Locally it is an environment variable; on Lambda one or two SSM
 * SecureStrings read on first use and cached, so a rotated token is picked up without a redeploy.
 *
 * During a rotation two tokens are stored (the account's primary and its secondary) and a signature
 * made with either is accepted, so promoting the secondary in the Twilio Console refuses nothing.
 */
export interface AuthTokenSource {
  /**
   * Every token a signature may be made with: the primary parameter's first, then the other
   * stored one (only while a rotation is in progress).
   */
  tokens(): Promise<readonly string[]>;
  /**
   * The token for Twilio REST calls: the one Twilio last signed a request with (that is the
   * account's primary right now, whichever parameter holds it), else the first stored.
   */
  current(): Promise<string>;
  /** Possibly newer tokens after no stored one verified a signature; undefined when nothing newer can be had. */
  refresh(): Promise<readonly string[] | undefined>;
  /** A request verified with this token. */
  signedWith(token: string): void;
}
