import { describe, expect, it } from "vitest";
import type { TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { CONV, call, emulatorPerTest, MSG } from "./client.js";

const start = emulatorPerTest();

/** A Frontline-shaped account: service, numbers, a pool, an address, a user, a conversation. */
function seed(emu: TwilioEmulator) {
  const is = emu.addConversationService("Frontline Service");
  const pn1 = emu.addPhoneNumber("+15551230001");
  const pn2 = emu.addPhoneNumber("+15551230002");
  const mg = emu.addMessagingService({ friendlyName: "Existing senders" });
  emu.addToSenderPool(mg, pn1);
  emu.setServiceWebhooks(is, {
    preWebhookUrl: "https://old.example.com/pre",
    filters: ["onMessageAdded"],
    method: "POST",
  });
  emu.addAddressConfiguration({
    address: "+15551230002",
    autoCreation: { enabled: true, type: "default", conversationServiceSid: is },
  });
  emu.addFrontlineUser({ identity: "alice@example.com" });
  const ch = emu.addConversation({ serviceSid: is });
  emu.addParticipant({ conversationSid: ch, identity: "alice@example.com" });
  return { is, pn1, pn2, mg, ch };
}

describe("snapshots", () => {
  it("are identical for two emulators given the same history (deterministic SIDs and clock)", async () => {
    const a = await start();
    const b = await start();
    seed(a);
    seed(b);
    expect(a.snapshot()).toBe(b.snapshot());
    const parsed = JSON.parse(a.snapshot());
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(Object.keys(parsed)).toEqual([
      "addressConfigurations",
      "configuration",
      "conversationServices",
      "conversations",
      "frontlineUsers",
      "messagingServices",
      "participants",
      "phoneNumbers",
    ]);
  });

  it("do not change on reads", async () => {
    const emu = await start();
    const { is, mg } = seed(emu);
    const before = emu.snapshot();
    await call(emu, "GET", `${CONV}/Configuration`);
    await call(emu, "GET", `${CONV}/Services/${is}/Configuration/Webhooks`);
    await call(emu, "GET", `${MSG}/Services/${mg}/PhoneNumbers`);
    expect(emu.snapshot()).toBe(before);
  });

  it("show a set-then-restore of singletons as no change at all", async () => {
    const emu = await start();
    const { is, mg, pn2 } = seed(emu);
    // As on a real account, where the Console sets a default messaging service: a SID parameter
    // cannot be sent empty, so a restore can only write back one that was there.
    emu.setConfiguration({
      defaultMessagingServiceSid: emu.addMessagingService({ friendlyName: "Default Conversations Messaging Service" }),
    });
    const before = emu.snapshot();
    const previous = (await call(emu, "GET", `${CONV}/Configuration`)).body;
    const hooks = (await call(emu, "GET", `${CONV}/Services/${is}/Configuration/Webhooks`)).body;

    // What a provider's create does ...
    await call(emu, "POST", `${CONV}/Configuration`, { DefaultChatServiceSid: is, DefaultMessagingServiceSid: mg });
    await call(emu, "POST", `${CONV}/Services/${is}/Configuration/Webhooks`, {
      PreWebhookUrl: "https://new.example.com/pre",
      PostWebhookUrl: "https://new.example.com/post",
      Filters: ["onConversationAdd", "onParticipantAdded"],
    });
    await call(emu, "POST", `${MSG}/Services/${mg}/PhoneNumbers`, { PhoneNumberSid: pn2 });
    expect(emu.snapshot()).not.toBe(before);

    // ... and its delete.
    await call(emu, "POST", `${CONV}/Configuration`, {
      DefaultChatServiceSid: previous.default_chat_service_sid,
      DefaultMessagingServiceSid: previous.default_messaging_service_sid,
    });
    await call(emu, "POST", `${CONV}/Services/${is}/Configuration/Webhooks`, {
      PreWebhookUrl: hooks.pre_webhook_url ?? "",
      PostWebhookUrl: hooks.post_webhook_url ?? "",
      Filters: hooks.filters ?? "",
    });
    await call(emu, "DELETE", `${MSG}/Services/${mg}/PhoneNumbers/${pn2}`);

    // The webhook singleton's service moved date_updated, as Twilio's would: values are equal.
    expect(emu.snapshot({ dates: false })).toBe(
      JSON.stringify(JSON.parse(before), (k, v) => (k === "dateCreated" || k === "dateUpdated" ? undefined : v), 2),
    );
    expect(emu.snapshot()).not.toBe(before);
  });

  it("restore() puts an account back exactly", async () => {
    const emu = await start();
    const { mg, ch } = seed(emu);
    const before = emu.snapshot();
    await call(emu, "DELETE", `${MSG}/Services/${mg}`);
    await call(emu, "POST", `${CONV}/Conversations/${ch}/Participants`, { Identity: "bob@example.com" });
    emu.restore(before);
    expect(emu.snapshot()).toBe(before);
    expect((await call(emu, "GET", `${MSG}/Services/${mg}`)).status).toBe(200);
    expect(() => emu.restore("{}")).toThrow(/not an emulator snapshot/);
    expect(() => emu.restore(emu.snapshot({ dates: false }))).toThrow(/dates: false/);
  });

  it("state() is a copy, so tests cannot change the account by accident", async () => {
    const emu = await start();
    const { mg } = seed(emu);
    const copy = emu.state();
    copy.messagingServices[mg]!.friendlyName = "changed";
    expect(emu.state().messagingServices[mg]!.friendlyName).toBe("Existing senders");
  });

  it("bare: starts with no service and an empty configuration", async () => {
    const emu = await start({ bare: true });
    const state = emu.state();
    expect(state.configuration.defaultChatServiceSid).toBeNull();
    expect(state.conversationServices).toEqual({});
  });
});
