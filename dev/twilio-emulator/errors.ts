/**
 * Twilio's legacy error body `{code, message, more_info, status}` and the codes the emulator uses.
 * Handlers throw {@link TwilioError}; the server turns it into the HTTP answer.
 */

export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Extra top-level fields Twilio sends for some codes (e.g. 20003's `detail`). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...this.extra,
    };
  }
}

/** The codes a caller may branch on, named once so tests and providers can import them. */
export const ErrorCode = {
  /**
   * Twilio answers malformed or missing parameters with HTTP 400 and code 20001 ("Missing required
   * parameter X in the post body", "Invalid ..."). Real Twilio ignores *unknown* parameters; the
   * emulator rejects them with the same code on purpose, so a typo such as `Filter` for `Filters`
   * fails a test instead of silently doing nothing.
   */
  InvalidParameter: 20001,
  Authenticate: 20003,
  NotFound: 20404,
  /**
   * UNVERIFIED: Twilio documents no code for a second Address Configuration on the same address.
   * 20409 follows Twilio's habit of 20xxx codes mirroring the HTTP status (20403, 20404, 20429).
   */
  AddressConfigurationExists: 20409,
  TooManyRequests: 20429,
  InternalServerError: 20500,
  ServiceUnavailable: 20503,
  /** Also answered for "the emulator has no behaviour for this spec operation" (HTTP 501). */
  NotImplemented: 20501,
  /** Phone Number or Short Code is already in the Messaging Service. */
  AlreadyInThisMessagingService: 21710,
  /** Phone Number or Short Code is associated with another Messaging Service. */
  InAnotherMessagingService: 21712,
  /** UNVERIFIED code for a PhoneNumberSid that is not a number of this account. */
  InvalidPhoneNumberSid: 21421,
  /** An SMS (address, proxy address) pair already bound in an active conversation. */
  BindingExists: 50416,
  /** UNVERIFIED (our belief): a chat participant whose identity is already in the conversation. */
  ParticipantExists: 50433,
} as const;

export function notFound(path: string): TwilioError {
  return new TwilioError(404, ErrorCode.NotFound, `The requested resource ${path} was not found`);
}

export function invalidParameter(message: string): TwilioError {
  return new TwilioError(400, ErrorCode.InvalidParameter, message);
}

export function authenticate(): TwilioError {
  // Twilio's 401 carries a `detail` next to the terse message, and a Basic challenge.
  return new TwilioError(
    401,
    ErrorCode.Authenticate,
    "Authenticate",
    { detail: "Your AccountSid or AuthToken was incorrect." },
    { "WWW-Authenticate": 'Basic realm="Twilio API"' },
  );
}

export function conflict(code: number, message: string): TwilioError {
  return new TwilioError(409, code, message);
}

/** The body Twilio sends for throttling and server faults, used by fault injection. */
export function faultError(
  status: number,
  code: number | undefined,
  retryAfterSeconds: number | undefined,
): TwilioError {
  const known: Record<number, [number, string]> = {
    429: [ErrorCode.TooManyRequests, "Too Many Requests"],
    500: [ErrorCode.InternalServerError, "Internal Server Error"],
    503: [ErrorCode.ServiceUnavailable, "Service Unavailable"],
  };
  const [defaultCode, message] = known[status] ?? [20000 + status, `Injected fault (HTTP ${status})`];
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
  return new TwilioError(status, code ?? defaultCode, message, {}, headers);
}
