/**
 * Where the Auth Token comes from. Locally it is an environment variable; on Lambda an SSM
 * SecureString read on first use and cached, so a rotated token is picked up without a redeploy.
 */
export interface AuthTokenSource {
  current(): Promise<string>;
  /** A possibly newer token after a signature failed, or undefined when nothing newer can be had. */
  refresh(): Promise<string | undefined>;
}

/** No token could be read; the adapter answers 503 rather than letting the error escape. */
export class AuthTokenUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Auth Token unavailable: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : "unknown error"}`);
    this.name = "AuthTokenUnavailableError";
  }
}

export function staticToken(token: string): AuthTokenSource {
  return { current: async () => token, refresh: async () => undefined };
}

export interface CachedTokenOptions {
  load: () => Promise<string>;
  /** How long a token is trusted before it is read again. */
  ttlMs?: number;
  /**
   * Least time between two refreshes forced by a bad signature: anyone can send unsigned requests,
   * and each must not turn into a parameter-store read.
   */
  minRefreshIntervalMs?: number;
  now?: () => number;
}

export function cachedToken({ load, ttlMs = 5 * 60_000, minRefreshIntervalMs = 10_000, now = Date.now }: CachedTokenOptions): AuthTokenSource {
  let token: string | undefined;
  let loadedAt = 0;
  let inflight: Promise<string> | undefined;
  let lastRefresh = Number.NEGATIVE_INFINITY;

  const fetchToken = (): Promise<string> => {
    inflight ??= load()
      .then((value) => {
        token = value;
        loadedAt = now();
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return {
    async current() {
      if (token !== undefined && now() - loadedAt < ttlMs) return token;
      try {
        return await fetchToken();
      } catch (error) {
        // A parameter-store blip must not fail callbacks that the token we hold still verifies.
        if (token !== undefined) return token;
        throw new AuthTokenUnavailableError(error);
      }
    },
    async refresh() {
      if (now() - lastRefresh < minRefreshIntervalMs) return undefined;
      lastRefresh = now();
      const previous = token;
      try {
        const next = await fetchToken();
        return next === previous ? undefined : next;
      } catch {
        return undefined;
      }
    },
  };
}
