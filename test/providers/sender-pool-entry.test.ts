import { readdirSync, readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { senderPoolEntryProvider } from "../../infra/twilio/sender-pool-entry.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { changeOutside } from "../support/outside-change.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

const NUMBER = "+14155550100";

let baseline: string;
let frontline: string;
let other: string;
let number: string;
let pooled: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    frontline = emulator.addMessagingService({ friendlyName: "Frontline" });
    other = emulator.addMessagingService({ friendlyName: "Marketing" });
    // Numbers that the partial PhoneNumber filter also matches, listed before the exact one.
    emulator.addPhoneNumber("+141555501000");
    emulator.addPhoneNumber("+1415555010");
    number = emulator.addPhoneNumber(NUMBER);
    pooled = emulator.addPhoneNumber("+14155550199");
    emulator.addToSenderPool(frontline, pooled);
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(senderPoolEntryProvider(), fixture.config());
const pool = (mg: string) => Object.keys(fixture.emulator.state().messagingServices[mg]!.phoneNumbers);
const args = (mg = frontline, phoneNumber = NUMBER) => ({ messagingServiceSid: mg, phoneNumber });

describe("SenderPoolEntry against the emulator", () => {
  it("finds the exact number among partial matches and adds it; destroy removes it from the pool only", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    expect(state).toMatchObject({ id: `${frontline}/${number}`, outs: { phoneNumberSid: number, preExisting: false } });
    expect(pool(frontline)).toContain(number);
    expect(fixture.emulator.requests.map((r) => [r.method, r.host, r.path, r.query, r.form])).toEqual([
      [
        "GET",
        "api.twilio.com",
        `/2010-04-01/Accounts/${fixture.emulator.accountSid}/IncomingPhoneNumbers.json`,
        { PhoneNumber: NUMBER },
        {},
      ],
      // The entry is read first: a number already in the pool was there before Pulumi.
      ["GET", "messaging.twilio.com", `/v1/Services/${frontline}/PhoneNumbers/${number}`, {}, {}],
      ["POST", "messaging.twilio.com", `/v1/Services/${frontline}/PhoneNumbers`, {}, { PhoneNumberSid: number }],
    ]);
    await destroy(p, state);
    expect(pool(frontline)).not.toContain(number);
    expect(fixture.emulator.state().phoneNumbers[number]).toBeDefined();
    expect(fixture.emulator.snapshot()).toBe(baseline);
  });

  it("follows paging to find the number", async () => {
    // 60 longer numbers that the (prefix) filter also matches, created before the exact one.
    for (let i = 0; i < 60; i++) fixture.emulator.addPhoneNumber(`+14155550177${String(i).padStart(2, "0")}`);
    const late = fixture.emulator.addPhoneNumber("+14155550177");
    const { state } = await up(await provider(), args(frontline, "+14155550177"));
    expect(state.outs["phoneNumberSid"]).toBe(late);
    expect(fixture.emulator.requestsMatching({ method: "GET", host: "api.twilio.com" }).length).toBe(2);
  });

  it("an entry that was already in the pool (21710) is recorded as pre-existing and left in place on destroy", async () => {
    const p = await provider();
    const { state } = await up(p, args(frontline, "+14155550199"));
    expect(state.outs).toMatchObject({ phoneNumberSid: pooled, preExisting: true });
    fixture.emulator.clearRequests();
    await destroy(p, state);
    expect(fixture.emulator.requests).toEqual([]);
    expect(pool(frontline)).toContain(pooled);
  });

  it("a number in another service (21712) fails naming that service and the fix, and changes nothing", async () => {
    await expect(up(await provider(), args(other, "+14155550199"))).rejects.toThrow(
      new RegExp(
        `\\+14155550199 \\(${pooled}\\) is already in the sender pool of Messaging Service ${frontline} \\("Frontline"\\).*21712.*` +
          `Fix: remove it from that pool \\(Console > Messaging > Services > Frontline > Sender Pool\\), or set messagingServiceSid to ${frontline}`,
      ),
    );
    expect(pool(other)).toEqual([]);
  });

  it("a number the account does not have fails without buying anything", async () => {
    await expect(up(await provider(), args(frontline, "+14155550111"))).rejects.toThrow(
      /\+14155550111 is not a number of account AC.*never buys one/,
    );
    expect(fixture.emulator.writeCount()).toBe(0);
  });

  it("read reports an entry removed outside as gone; the next up adds it again; delete is idempotent", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    expect(await refresh(p, state)).toEqual(state);
    await changeOutside(fixture.emulator, "DELETE", `/messaging/v1/Services/${frontline}/PhoneNumbers/${number}`);
    expect(await refresh(p, state)).toBeUndefined();
    await destroy(p, state);
    const again = await up(p, args());
    expect(again.step).toBe("create");
    expect(pool(frontline)).toContain(number);
  });

  it("a number moved to another pool outside reads as gone, and re-adding it fails with the 21712 fix", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    await changeOutside(fixture.emulator, "DELETE", `/messaging/v1/Services/${frontline}/PhoneNumbers/${number}`);
    await changeOutside(fixture.emulator, "POST", `/messaging/v1/Services/${other}/PhoneNumbers`, {
      PhoneNumberSid: number,
    });
    expect(await refresh(p, state)).toBeUndefined();
    await expect(up(p, args())).rejects.toThrow(new RegExp(`Messaging Service ${other} \\("Marketing"\\)`));
  });

  it("another service or number is a replacement that leaves the old pool first; a no-op up makes no call", async () => {
    const p = await provider();
    const first = await up(p, args());
    fixture.emulator.clearRequests();
    expect((await up(p, args(), first.state)).step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
    const moved = await up(p, args(other), first.state);
    expect(moved.step).toBe("replace");
    expect(pool(frontline)).not.toContain(number);
    expect(pool(other)).toEqual([number]);
  });

  it("retries 429 and 500", async () => {
    fixture.emulator.injectFault({ path: /IncomingPhoneNumbers\.json$/, status: 500, count: 1 });
    fixture.emulator.injectFault({
      method: "POST",
      path: `/messaging/v1/Services/${frontline}/PhoneNumbers`,
      status: 429,
      count: 2,
      retryAfterSeconds: 0,
    });
    await up(await provider(), args());
    expect(fixture.emulator.requests.map((r) => r.status)).toEqual([500, 200, 404, 429, 429, 201]);
    expect(pool(frontline)).toContain(number);
  });

  it("fails clearly on bad input", async () => {
    const p = await provider();
    await expect(up(p, args(frontline, "+1 415 555 0100"))).rejects.toThrow(
      /phoneNumber must be a phone number in E\.164 form/,
    );
    await expect(up(p, args("IS" + "0".repeat(32)))).rejects.toThrow(
      /messagingServiceSid must be a Messaging Service SID: "MG"/,
    );
    expect(fixture.emulator.requests).toEqual([]);
  });
});

describe("the provider code", () => {
  it("contains no call that buys or releases a number: the one IncomingPhoneNumbers URL is the list read", () => {
    const sources = readdirSync("infra/twilio")
      .filter((file) => file.endsWith(".ts"))
      .map((file) => readFileSync(`infra/twilio/${file}`, "utf8"))
      .join("\n");
    // Buying is POST .../IncomingPhoneNumbers(.json|/Local|/Mobile|/TollFree) after an
    // AvailablePhoneNumbers search; releasing is DELETE .../IncomingPhoneNumbers/PN....json.
    expect(sources).not.toMatch(/AvailablePhoneNumbers/);
    expect(sources.match(/IncomingPhoneNumbers[^`"'\s]*/g)).toEqual(["IncomingPhoneNumbers.json"]);
    expect(sources).toMatch(
      /const url = `https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/\$\{api\.accountSid\}\/IncomingPhoneNumbers\.json`;\s+const numbers = await api\.list</,
    );
  });
});
