/**
 * Where the Auth Token comes from. Locally it is an environment variable; on Lambda an SSM
 * SecureString read on first use and cached, so a rotated token is picked up without a redeploy.
 */
export interface AuthTokenSource {
  current(): Promise<string>;
  /** A possibly newer token after a signature failed, or undefined when nothing newer can be had. */
  refresh(): Promise<string | undefined>;
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
      return fetchToken();
    },
    async refresh() {
      if (now() - lastRefresh < minRefreshIntervalMs) return undefined;
      lastRefresh = now();
      const previous = token;
      const next = await fetchToken();
      return next === previous ? undefined : next;
    },
  };
}
