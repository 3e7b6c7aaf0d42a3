import type { AuthTokenSource } from "../http/types.js";

export type { AuthTokenSource };

/** No token could be read; the adapter answers 503 rather than letting the error escape. */
export class AuthTokenUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Auth Token unavailable: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : "unknown error"}`);
    this.name = "AuthTokenUnavailableError";
  }
}

export function staticToken(token: string): AuthTokenSource {
  const tokens = [token] as const;
  return {
    tokens: async () => tokens,
    current: async () => token,
    refresh: async () => undefined,
    signedWith: () => {},
  };
}

export interface CachedTokenOptions {
  /** Reads the stored tokens, primary first; rejects when the primary cannot be read. */
  load: () => Promise<readonly string[]>;
  /** How long tokens are used before a read in the background is started. */
  ttlMs?: number;
  /**
   * Past this age the cached tokens are no longer used while a read fails: a token removed from
   * the store (say, after a leak) must stop verifying requests within a bounded time.
   */
  maxAgeMs?: number;
  /**
   * Least time between two reads forced by a bad signature or by a failed background read: anyone
   * can send unsigned requests, and each must not turn into a parameter-store read.
   */
  minRefreshIntervalMs?: number;
  /** Told when a background read fails (the cached tokens keep serving). */
  onBackgroundError?: (error: unknown) => void;
  now?: () => number;
}

const sameTokens = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((t, i) => t === b[i]);

export function cachedToken({
  load,
  ttlMs = 5 * 60_000,
  maxAgeMs = 15 * 60_000,
  minRefreshIntervalMs = 10_000,
  onBackgroundError,
  now = Date.now,
}: CachedTokenOptions): AuthTokenSource {
  let tokens: readonly string[] | undefined;
  let loadedAt = 0;
  let preferred: string | undefined;
  let inflight: Promise<readonly string[]> | undefined;
  let lastForced = Number.NEGATIVE_INFINITY;
  let lastBackground = Number.NEGATIVE_INFINITY;

  const read = (): Promise<readonly string[]> => {
    inflight ??= load()
      .then((value) => {
        if (value.length === 0) throw new Error("no Auth Token stored");
        tokens = value;
        loadedAt = now();
        if (preferred !== undefined && !value.includes(preferred)) preferred = undefined;
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  const usable = async (): Promise<readonly string[]> => {
    const age = now() - loadedAt;
    if (tokens !== undefined && age < ttlMs) return tokens;
    if (tokens !== undefined && age < maxAgeMs) {
      // Stale but within the hard limit: answer now, read in the background (at most one read at a
      // time, and after a failure not again before minRefreshIntervalMs).
      if (!inflight && now() - lastBackground >= minRefreshIntervalMs) {
        lastBackground = now();
        read().catch((error: unknown) => onBackgroundError?.(error));
      }
      return tokens;
    }
    try {
      return await read();
    } catch (error) {
      throw new AuthTokenUnavailableError(error);
    }
  };

  return {
    tokens: usable,
    async current() {
      const stored = await usable();
      return preferred !== undefined && stored.includes(preferred) ? preferred : stored[0]!;
    },
    async refresh() {
      const previous = tokens;
      try {
        // A read already running (background, or another request's) answers this one too.
        if (inflight !== undefined) {
          const next = await inflight;
          return sameTokens(previous, next) ? undefined : next;
        }
        if (now() - lastForced < minRefreshIntervalMs) return undefined;
        lastForced = now();
        const next = await read();
        return sameTokens(previous, next) ? undefined : next;
      } catch {
        return undefined;
      }
    },
    signedWith(token) {
      preferred = token;
    },
  };
}
