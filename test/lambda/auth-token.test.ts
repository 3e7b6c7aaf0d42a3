import { describe, expect, it } from "vitest";
import { AuthTokenUnavailableError, cachedToken } from "../../lambda/runtime/auth-token.js";

const A = "a".repeat(32);
const B = "b".repeat(32);

/** A load the test resolves or rejects by hand, to see what callers get while it is in flight. */
function controlledLoad() {
  const calls: Array<{ resolve: (tokens: string[]) => void; reject: (error: Error) => void }> = [];
  const load = () => new Promise<readonly string[]>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

describe("cached Auth Token", () => {
  it("keeps serving the cached token while a refresh runs in the background after the TTL", async () => {
    let clock = 0;
    const { load, calls } = controlledLoad();
    const token = cachedToken({ load, now: () => clock, ttlMs: 1_000, maxAgeMs: 10_000 });
    const first = token.tokens();
    calls[0]!.resolve([A]);
    expect(await first).toEqual([A]);

    clock = 1_500;
    // Answers at once with the cached token; the read it started has not finished.
    expect(await token.tokens()).toEqual([A]);
    expect(calls).toHaveLength(2);
    expect(await token.tokens()).toEqual([A]);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve([B]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await token.tokens()).toEqual([B]);
  });

  it("tells about a failed background read, keeps the token, and does not retry before the interval", async () => {
    let clock = 0;
    const errors: unknown[] = [];
    let loads = 0;
    const token = cachedToken({
      load: async () => (++loads === 1 ? [A] : Promise.reject(new Error("ThrottlingException"))),
      now: () => clock,
      ttlMs: 1_000,
      maxAgeMs: 60_000,
      minRefreshIntervalMs: 5_000,
      onBackgroundError: (error) => errors.push(error),
    });
    expect(await token.tokens()).toEqual([A]);
    clock = 2_000;
    expect(await token.tokens()).toEqual([A]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    clock = 3_000;
    expect(await token.tokens()).toEqual([A]);
    expect(loads).toBe(2);
    clock = 7_500;
    expect(await token.tokens()).toEqual([A]);
    expect(loads).toBe(3);
  });

  it("stops using a token past the hard maximum age when it cannot be read again", async () => {
    let clock = 0;
    let down = false;
    const token = cachedToken({
      load: async () => (down ? Promise.reject(new Error("AccessDeniedException")) : [A]),
      now: () => clock,
      ttlMs: 1_000,
      maxAgeMs: 5_000,
    });
    expect(await token.tokens()).toEqual([A]);
    down = true;
    clock = 4_999;
    expect(await token.tokens()).toEqual([A]);
    clock = 5_000;
    await expect(token.tokens()).rejects.toBeInstanceOf(AuthTokenUnavailableError);
    down = false;
    expect(await token.tokens()).toEqual([A]);
  });

  it("uses the token Twilio last signed with for REST calls, else the primary", async () => {
    const token = cachedToken({ load: async () => [A, B] });
    expect(await token.current()).toBe(A);
    token.signedWith(B);
    expect(await token.current()).toBe(B);
    token.signedWith(A);
    expect(await token.current()).toBe(A);
  });

  it("lets a request that failed verification wait for a read already in flight instead of giving up", async () => {
    let clock = 0;
    const { load, calls } = controlledLoad();
    const token = cachedToken({ load, now: () => clock, ttlMs: 1_000 });
    const first = token.tokens();
    calls[0]!.resolve([A]);
    await first;
    clock = 1_500;
    await token.tokens(); // starts a background read
    const renewed = token.refresh();
    calls[1]!.resolve([A, B]);
    expect(await renewed).toEqual([A, B]);
    expect(calls).toHaveLength(2);
  });
});
