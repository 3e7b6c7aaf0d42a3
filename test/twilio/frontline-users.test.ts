import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { nodeFetch } from "../../lambda/aws/http.js";
import { memoryLogger } from "../../lambda/runtime/log.js";
import { workerNames } from "../../lambda/twilio/frontline-users.js";

let emulator: TwilioEmulator;
beforeAll(async () => {
  emulator = await startTwilioEmulator();
  emulator.addFrontlineUser({ identity: "alice@example.com", friendlyName: "Alice Liddell" });
  emulator.addFrontlineUser({ identity: "nameless@example.com" });
});
afterAll(() => emulator?.close());

const names = (extra: Partial<Parameters<typeof workerNames>[0]> = {}) => {
  const log = memoryLogger();
  const lookup = workerNames({
    credentials: async () => ({ accountSid: emulator.accountSid, authToken: emulator.authToken }),
    apiBaseUrl: emulator.baseUrl,
    fetch: nodeFetch,
    sleep: async () => {},
    log,
    ...extra,
  });
  return { lookup, log };
};
const usersCalls = () => emulator.requests.filter((r) => r.host === "frontline-api.twilio.com");

describe("worker names from Frontline's Users API", () => {
  it("answers friendly_name, asking Twilio once per worker", async () => {
    emulator.clearRequests();
    const { lookup } = names();
    expect(await lookup("alice@example.com")).toBe("Alice Liddell");
    expect(await lookup("alice@example.com")).toBe("Alice Liddell");
    expect(usersCalls().map((r) => r.path)).toEqual(["/v1/Users/alice%40example.com"]);
  });

  it("answers undefined for a user without a name and for an unknown user", async () => {
    const { lookup, log } = names();
    expect(await lookup("nameless@example.com")).toBeUndefined();
    expect(await lookup("nobody@example.com")).toBeUndefined();
    expect(log.entries.some((e) => e.level === "warn" && e.fields?.status === 404)).toBe(true);
  });

  it("never rejects when the Users API fails, and asks again only after the failure TTL", async () => {
    let clock = 0;
    const { lookup, log } = names({ now: () => clock, failureTtlMs: 60_000 });
    emulator.injectFault({ path: /Users/, status: 500, count: 1_000_000 });
    emulator.clearRequests();
    expect(await lookup("alice@example.com")).toBeUndefined();
    const afterFailure = usersCalls().length;
    expect(afterFailure).toBeGreaterThan(0);
    clock = 30_000;
    expect(await lookup("alice@example.com")).toBeUndefined();
    expect(usersCalls().length).toBe(afterFailure);
    emulator.clearFaults();
    clock = 61_000;
    expect(await lookup("alice@example.com")).toBe("Alice Liddell");
    // Logs carry no identity (an email address).
    expect(JSON.stringify(log.entries)).not.toContain("alice@");
  });

  it("gives up quickly when Twilio cannot be reached at all", async () => {
    const { lookup } = names({ apiBaseUrl: "http://127.0.0.1:9", budgetMs: 300 });
    const started = Date.now();
    expect(await lookup("alice@example.com")).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
