import { beforeEach, describe, expect, it } from "vitest";
import { conversationsDefaultsProvider } from "../../infra/twilio/conversations-defaults.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

let baseline: string;
let defaultService: string;
let frontlineService: string;
let existingMessaging: string;
let newMessaging: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    defaultService = emulator.state().configuration.defaultChatServiceSid!;
    frontlineService = emulator.addConversationService("Frontline Service");
    existingMessaging = emulator.addMessagingService({ friendlyName: "Existing Conversations Messaging Service" });
    newMessaging = emulator.addMessagingService({ friendlyName: "Frontline" });
    emulator.setConfiguration({ defaultMessagingServiceSid: existingMessaging });
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(conversationsDefaultsProvider(), fixture.config());
const configuration = () => fixture.emulator.state().configuration;

describe("ConversationsDefaults against the emulator", () => {
  it("create records the defaults it found, then sets only what differs", async () => {
    const { state } = await up(await provider(), {
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: newMessaging,
    });
    expect(state.id).toBe(fixture.emulator.accountSid);
    expect(state.outs["previous"]).toEqual({
      defaultChatServiceSid: defaultService,
      defaultMessagingServiceSid: existingMessaging,
    });
    expect(configuration()).toMatchObject({
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: newMessaging,
    });
    expect(fixture.emulator.requests.map((r) => [r.method, r.host, r.path, r.form])).toEqual([
      ["GET", "conversations.twilio.com", "/v1/Configuration", {}],
      [
        "POST",
        "conversations.twilio.com",
        "/v1/Configuration",
        { DefaultChatServiceSid: frontlineService, DefaultMessagingServiceSid: newMessaging },
      ],
    ]);
  });

  it("adopting values that are already set writes nothing", async () => {
    const { state } = await up(await provider(), { defaultChatServiceSid: defaultService });
    expect(state.outs["previous"]).toEqual({ defaultChatServiceSid: defaultService });
    expect(fixture.emulator.writeCount()).toBe(0);
  });

  it("destroy restores exactly what was there", async () => {
    const before = fixture.emulator.snapshot();
    const p = await provider();
    const { state } = await up(p, {
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: newMessaging,
    });
    await destroy(p, state);
    expect(fixture.emulator.snapshot()).toBe(before);
  });

  it("leaves a default that was empty out of the restore: the spec has no empty value for a SID", async () => {
    fixture.emulator.setConfiguration({ defaultMessagingServiceSid: null });
    const p = await provider();
    const { state } = await up(p, {
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: newMessaging,
    });
    expect(state.outs["previous"]).toEqual({ defaultChatServiceSid: defaultService, defaultMessagingServiceSid: null });
    fixture.emulator.clearRequests();
    await destroy(p, state);
    expect(fixture.emulator.requests.map((r) => r.form)).toEqual([{ DefaultChatServiceSid: defaultService }]);
    // Ours stays the default until that messaging service is deleted (by the stack that made it).
    expect(fixture.emulator.state().configuration).toMatchObject({
      defaultChatServiceSid: defaultService,
      defaultMessagingServiceSid: newMessaging,
    });
  });

  it("read reports the live values; a change made outside shows as a diff and the next up puts ours back", async () => {
    const p = await provider();
    let { state } = await up(p, { defaultChatServiceSid: frontlineService });
    fixture.emulator.setConfiguration({ defaultChatServiceSid: defaultService });
    const refreshed = await refresh(p, state);
    expect(refreshed?.outs["defaultChatServiceSid"]).toBe(defaultService);
    const next = await up(p, { defaultChatServiceSid: frontlineService }, refreshed);
    expect(next.step).toBe("update");
    expect(configuration().defaultChatServiceSid).toBe(frontlineService);
    // The record of what was there before Pulumi is untouched by the drift.
    expect(next.state.outs["previous"]).toEqual({ defaultChatServiceSid: defaultService });
    state = next.state;
    await destroy(p, state);
    expect(configuration().defaultChatServiceSid).toBe(defaultService);
  });

  it("update writes only the changed field; a field no longer managed gets its recorded value back", async () => {
    const p = await provider();
    const first = await up(p, { defaultChatServiceSid: frontlineService, defaultMessagingServiceSid: newMessaging });
    fixture.emulator.clearRequests();
    const released = await up(p, { defaultChatServiceSid: frontlineService }, first.state);
    expect(released.step).toBe("update");
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.form)).toEqual([
      { DefaultMessagingServiceSid: existingMessaging },
    ]);
    expect(released.state.outs["previous"]).toEqual({ defaultChatServiceSid: defaultService });
    const added = await up(
      p,
      { defaultChatServiceSid: frontlineService, defaultMessagingServiceSid: newMessaging },
      released.state,
    );
    expect(added.state.outs["previous"]).toEqual({
      defaultChatServiceSid: defaultService,
      defaultMessagingServiceSid: existingMessaging,
    });
    expect(configuration().defaultMessagingServiceSid).toBe(newMessaging);
  });

  it("a no-op up makes no call at all, and even a forced update makes no write", async () => {
    const p = await provider();
    const first = await up(p, { defaultChatServiceSid: frontlineService });
    fixture.emulator.clearRequests();
    const again = await up(p, { defaultChatServiceSid: frontlineService }, first.state);
    expect(again.step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
    await p.update!(first.state.id, first.state.outs as never, first.state.inputs as never);
    expect(fixture.emulator.writeCount()).toBe(0);
  });

  it("delete is idempotent", async () => {
    const p = await provider();
    const { state } = await up(p, { defaultChatServiceSid: frontlineService });
    await destroy(p, state);
    const after = fixture.emulator.snapshot({ dates: false });
    await destroy(p, state);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(after);
  });

  it("retries 429 honouring Retry-After, and 500", async () => {
    fixture.emulator.injectFault({
      method: "POST",
      path: "/conversations/v1/Configuration",
      status: 429,
      count: 1,
      retryAfterSeconds: 1,
    });
    fixture.emulator.injectFault({ method: "GET", path: "/conversations/v1/Configuration", status: 500, count: 2 });
    const started = Date.now();
    await up(await provider(), { defaultChatServiceSid: frontlineService });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fixture.emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 500",
      "GET 500",
      "GET 200",
      "POST 429",
      "POST 200",
    ]);
    expect(configuration().defaultChatServiceSid).toBe(frontlineService);
  });

  it("gives up after the last retry with Twilio's code and a hint", async () => {
    fixture.emulator.injectFault({ path: "/conversations/v1/Configuration", status: 503, count: 10 });
    await expect(up(await provider(), { defaultChatServiceSid: frontlineService })).rejects.toThrow(
      /failed after 5 attempts: HTTP 503, code 20503: Service Unavailable\. Hint: Twilio kept failing/,
    );
  }, 30_000);

  it("fails clearly on bad input, in check and from Twilio", async () => {
    await expect(up(await provider(), { defaultChatServiceSid: "IS123" })).rejects.toThrow(
      /defaultChatServiceSid must be a Conversations service SID/,
    );
    await expect(
      up(await provider(), {
        defaultChatServiceSid: frontlineService,
        defaultMessagingServiceSid: "MG" + "0".repeat(32),
      }),
    ).rejects.toThrow(/HTTP 400, code 20001: Invalid parameter DefaultMessagingServiceSid/);
    expect(configuration().defaultChatServiceSid).toBe(defaultService);
  });

  it("fails clearly on wrong credentials", async () => {
    const p = await configured(conversationsDefaultsProvider(), {
      get: (k) => (k === "twilio:authToken" ? "wrong" : fixture.config().get(k)),
      require: () => "",
    });
    await expect(up(p, { defaultChatServiceSid: frontlineService })).rejects.toThrow(/code 20003.*twilio:authToken/);
  });
});
