import type { Logger } from "../runtime/log.js";
import { type RestOptions, twilioRest } from "./rest.js";

export interface WorkerNameOptions extends RestOptions {
  log: Logger;
  /** How long a name read from the Users API is reused. */
  ttlMs?: number;
  /** How long a fallback is reused after a failed read, so a Users API outage costs one call a minute. */
  failureTtlMs?: number;
  /** Most workers remembered at once. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * A worker's display name from Frontline's Users API (`friendly_name`), cached per worker. Never
 * rejects: a missing user, an empty name or any failure resolves to undefined (the caller falls back
 * to the identity's local part), since a template picker that fails over a name helps nobody.
 */
export function workerNames(options: WorkerNameOptions): (identity: string) => Promise<string | undefined> {
  const { log, ttlMs = 10 * 60_000, failureTtlMs = 60_000, maxEntries = 1000, now = Date.now } = options;
  const cache = new Map<string, { name: Promise<string | undefined>; until: number }>();
  // A name is a nicety: give up well before the callback's own limit.
  const rest: RestOptions = { ...options, budgetMs: options.budgetMs ?? 1500 };

  const lookup = async (identity: string, entry: { until: number }): Promise<string | undefined> => {
    try {
      const user = await twilioRest<{ friendly_name?: unknown }>(
        { method: "GET", url: `https://frontline-api.twilio.com/v1/Users/${encodeURIComponent(identity)}` },
        rest,
      );
      const name = typeof user?.friendly_name === "string" ? user.friendly_name.trim() : "";
      return name || undefined;
    } catch (error) {
      entry.until = now() + failureTtlMs;
      const status = (error as { status?: unknown }).status;
      log.warn("Frontline user name unavailable; {{Author}} falls back to the identity's local part", {
        status: typeof status === "number" ? status : undefined,
        error: error instanceof Error ? error.name : "unknown",
      });
      return undefined;
    }
  };

  return (identity) => {
    const hit = cache.get(identity);
    if (hit && now() < hit.until) return hit.name;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    const entry = { name: Promise.resolve<string | undefined>(undefined), until: now() + ttlMs };
    entry.name = lookup(identity, entry);
    cache.delete(identity);
    cache.set(identity, entry);
    return entry.name;
  };
}
