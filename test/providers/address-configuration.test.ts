import { beforeEach, describe, expect, it } from "vitest";
import { addressConfigurationProvider } from "../../infra/twilio/address-configuration.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { changeOutside } from "../support/outside-change.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

const FRESH = "+14155550100";
const CONFIGURED = "+14155550101";

let baseline: string;
let frontline: string;
let studioService: string;
let existing: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    frontline = emulator.addConversationService("Frontline Service");
    studioService = emulator.addConversationService("Old bot");
    emulator.addPhoneNumber(FRESH);
    emulator.addPhoneNumber(CONFIGURED);
    existing = emulator.addAddressConfiguration({
      address: CONFIGURED,
      friendlyName: "Old inbound bot",
      autoCreation: {
        enabled: false,
        type: "webhook",
        conversationServiceSid: studioService,
        webhookUrl: "https://old.example.com/hook",
        webhookMethod: "POST",
        webhookFilters: ["onMessageAdded"],
      },
    });
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(addressConfigurationProvider(), fixture.config());
const configs = () => fixture.emulator.state().addressConfigurations;
const args = (address = FRESH, extra: Record<string, unknown> = {}) => ({
  address,
  conversationServiceSid: frontline,
  ...extra,
});

describe("AddressConfiguration against the emulator", () => {
  it("restores one that had no autocreation type or service by sending only what Twilio accepts", async () => {
    const whatsapp = fixture.emulator.addAddressConfiguration({
      type: "whatsapp",
      address: "whatsapp:+14155550177",
      friendlyName: "old",
      autoCreation: { enabled: false },
    });
    const p = await provider();
    const { state } = await up(p, args("whatsapp:+14155550177"));
    expect(state.outs).toMatchObject({
      adopted: true,
      previous: { autoCreationEnabled: false, autoCreationType: null, conversationServiceSid: null },
    });
    fixture.emulator.clearRequests();
    await destroy(p, state);
    // AutoCreation.Type (webhook|studio|default) and the service SID have no empty value in the spec.
    expect(fixture.emulator.requests.map((r) => [r.method, r.form])).toEqual([
      ["POST", { "AutoCreation.Enabled": "false" }],
    ]);
    expect(configs()[whatsapp]!.autoCreation).toMatchObject({
      enabled: false,
      type: "default",
      conversationServiceSid: frontline,
    });
  });

  it("creates an autocreation configuration for a fresh address, and deletes it on destroy", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    expect(state.outs).toMatchObject({ sid: state.id, adopted: false, type: "sms", previous: {} });
    expect(configs()[state.id]).toMatchObject({
      address: FRESH,
      type: "sms",
      autoCreation: { enabled: true, type: "default", conversationServiceSid: frontline },
    });
    expect(fixture.emulator.requests.map((r) => [r.method, r.path, r.form])).toEqual([
      ["GET", `/v1/Configuration/Addresses/${encodeURIComponent(FRESH)}`, {}],
      [
        "POST",
        "/v1/Configuration/Addresses",
        {
          Type: "sms",
          Address: FRESH,
          "AutoCreation.ConversationServiceSid": frontline,
          "AutoCreation.Enabled": "true",
          "AutoCreation.Type": "default",
        },
      ],
    ]);
    await destroy(p, state);
    expect(fixture.emulator.snapshot()).toBe(baseline);
  });

  it("adopts the configuration that already exists for the address and restores it on destroy", async () => {
    const before = fixture.emulator.snapshot({ dates: false });
    const p = await provider();
    const { state } = await up(p, args(CONFIGURED, { friendlyName: "Frontline inbound" }));
    expect(state.id).toBe(existing);
    expect(state.outs).toMatchObject({
      adopted: true,
      previous: {
        conversationServiceSid: studioService,
        friendlyName: "Old inbound bot",
        autoCreationEnabled: false,
        autoCreationType: "webhook",
      },
    });
    expect(configs()[existing]?.autoCreation).toMatchObject({
      enabled: true,
      type: "default",
      conversationServiceSid: frontline,
    });
    await destroy(p, state);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
    expect(fixture.emulator.requests.some((r) => r.method === "DELETE")).toBe(false);
  });

  it("defaults the type from the address: whatsapp:+... is a WhatsApp configuration", async () => {
    fixture.emulator.injectFault({
      method: "POST",
      path: "/conversations/v1/Configuration/Addresses",
      status: 503,
      count: 5,
    });
    await expect(up(await provider(), args("whatsapp:+14155550100"))).rejects.toThrow(/HTTP 503/);
    const posts = fixture.emulator.requestsMatching({ method: "POST" });
    expect(posts.at(-1)?.form).toMatchObject({ Type: "whatsapp", Address: "whatsapp:+14155550100" });
    // A create is never repeated blindly: each repeat follows a lookup by address that found nothing.
    expect(fixture.emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 404",
      "POST 503",
      "GET 404",
      "POST 503",
      "GET 404",
      "POST 503",
      "GET 404",
    ]);
  }, 30_000);

  it("read sees drift and deletion outside; the next up repairs or recreates; delete is idempotent", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    await changeOutside(fixture.emulator, "POST", `/conversations/v1/Configuration/Addresses/${state.id}`, {
      "AutoCreation.Enabled": "false",
    });
    const drifted = await refresh(p, state);
    expect(drifted?.outs["autoCreationEnabled"]).toBe(false);
    const repaired = await up(p, args(), drifted);
    expect(repaired.step).toBe("update");
    expect(configs()[state.id]?.autoCreation.enabled).toBe(true);
    await changeOutside(fixture.emulator, "DELETE", `/conversations/v1/Configuration/Addresses/${state.id}`);
    expect(await refresh(p, repaired.state)).toBeUndefined();
    await destroy(p, repaired.state);
    await destroy(p, repaired.state);
    expect((await up(p, args())).step).toBe("create");
  });

  it("update moves autocreation to another service in place; another address is a replacement", async () => {
    const p = await provider();
    const first = await up(p, args());
    fixture.emulator.clearRequests();
    const moved = await up(p, args(FRESH, { conversationServiceSid: studioService }), first.state);
    expect(moved.step).toBe("update");
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.form)).toEqual([
      { "AutoCreation.ConversationServiceSid": studioService },
    ]);
    const replaced = await up(p, args(CONFIGURED), moved.state);
    expect(replaced.step).toBe("replace");
    expect(configs()[first.state.id]).toBeUndefined();
    expect(replaced.state.id).toBe(existing);
  });

  it("a no-op up makes no call", async () => {
    const p = await provider();
    const first = await up(p, args(CONFIGURED));
    fixture.emulator.clearRequests();
    expect((await up(p, args(CONFIGURED), first.state)).step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
  });

  it("retries 429 and 500", async () => {
    fixture.emulator.injectFault({
      method: "GET",
      path: "/conversations/v1/Configuration/Addresses",
      status: 429,
      count: 1,
      retryAfterSeconds: 0,
    });
    fixture.emulator.injectFault({
      method: "POST",
      path: "/conversations/v1/Configuration/Addresses",
      status: 500,
      count: 1,
    });
    const { state } = await up(await provider(), args());
    // The 500 may hide a configuration that was made: the address is read again before the repeat.
    expect(fixture.emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 429",
      "GET 404",
      "POST 500",
      "GET 404",
      "POST 201",
    ]);
    expect(configs()[state.id]).toBeDefined();
  });

  it("fails clearly on bad input", async () => {
    const p = await provider();
    await expect(up(p, args("4155550100"))).rejects.toThrow(
      /address must be an E\.164 phone number \("\+14155550100"\) or a WhatsApp address/,
    );
    await expect(up(p, args(FRESH, { type: "email" }))).rejects.toThrow(/type must be one of "sms", "whatsapp"/);
    await expect(up(p, args(CONFIGURED, { type: "whatsapp" }))).rejects.toThrow(
      /has the sms Address Configuration IG\w+: set type "sms"/,
    );
    await expect(up(p, args("+14155550199"))).rejects.toThrow(
      /code 20001: Invalid parameter Address: \+14155550199 is not a phone number of this account/,
    );
    expect(fixture.emulator.snapshot()).toBe(baseline);
  });
});
