/**
 * Each resource driven through Pulumi's real dynamic-provider host, as the engine drives it:
 * Configure with the stack config (auth token sent as a secret), then Check/Diff/Create/Read/Update/
 * Delete with `__provider` set to the text `pulumi up` would store and the inputs as protobuf Structs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN } from "../support/provider-host.js";
import { addConsoleDefaultMessagingService, useTwilioEmulator } from "../support/twilio-emulator.js";
import { startTwilioProviderHost, type TwilioProviderHost } from "../support/twilio-provider-host.js";

const fixture = useTwilioEmulator();

let providers: TwilioProviderHost;
let frontline: string;
let existingMessaging: string;
const NUMBER = "+14155550100";
const URL_A = "https://a.example.com/callbacks/twilio-conversations";
const URL_B = "https://b.example.com/callbacks/twilio-conversations";

beforeAll(async () => {
  const emulator = fixture.emulator;
  frontline = emulator.addConversationService("Frontline Service");
  existingMessaging = emulator.addMessagingService({ friendlyName: "Existing" });
  addConsoleDefaultMessagingService(emulator);
  emulator.addPhoneNumber(NUMBER);
  providers = await startTwilioProviderHost(fixture);
}, 120_000);

afterAll(() => providers?.close());

const resource = (type: string, name: string) => providers.resource(type, name);

/** `pulumi up` for a new resource, then an update, a no-op, a refresh and a destroy, all through the host. */
async function lifecycle(type: string, args: Record<string, unknown>, changed: Record<string, unknown>): Promise<void> {
  const before = fixture.emulator.snapshot({ dates: false });
  const res = resource(type, `${type}-lifecycle`);
  const checked = await res.check({}, args);
  expect(checked.failures).toEqual([]);
  const created = await res.create(checked.inputs);
  expect(created.id).not.toBe("");

  const same = await res.check(checked.inputs, args);
  fixture.emulator.clearRequests();
  expect(await res.diff(created.id, created.properties, same.inputs)).toMatchObject({ changes: "none", replaces: [] });
  expect(fixture.emulator.requests).toEqual([]);

  const read = await res.read(created.id, created.properties);
  expect(read.id).toBe(created.id);
  expect(read.properties).toEqual(created.properties);

  const next = await res.check(checked.inputs, { ...args, ...changed });
  expect(next.failures).toEqual([]);
  expect(await res.diff(created.id, read.properties, next.inputs)).toMatchObject({ changes: "some", replaces: [] });
  const updated = await res.update(created.id, read.properties, next.inputs);
  expect(updated.properties).toMatchObject(changed);

  await res.delete(created.id, updated.properties);
  await res.delete(created.id, updated.properties);
  expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
}

describe("through the dynamic-provider host", () => {
  it("ConversationsDefaults: create, no-op diff, read, update, delete restores", async () => {
    await lifecycle(
      "ConversationsDefaults",
      { defaultChatServiceSid: frontline },
      { defaultMessagingServiceSid: existingMessaging },
    );
  });

  it("ServiceWebhooks: create, no-op diff, read, update, delete restores", async () => {
    await lifecycle(
      "ServiceWebhooks",
      { conversationServiceSid: frontline, preWebhookUrl: URL_A, postWebhookUrl: URL_A },
      { postWebhookUrl: URL_B },
    );
  });

  it("MessagingService: create, no-op diff, read, update, delete", async () => {
    await lifecycle("MessagingService", { friendlyName: "Frontline" }, { friendlyName: "Frontline (renamed)" });
  });

  it("AddressConfiguration: create, no-op diff, read, update, delete", async () => {
    await lifecycle(
      "AddressConfiguration",
      { address: NUMBER, conversationServiceSid: frontline },
      { friendlyName: "Frontline SMS" },
    );
  });

  it("SenderPoolEntry: create, no-op diff, read, another number is a delete-before-replace, delete", async () => {
    const before = fixture.emulator.snapshot({ dates: false });
    const res = resource("SenderPoolEntry", "pool");
    const { inputs } = await res.check({}, { messagingServiceSid: existingMessaging, phoneNumber: NUMBER });
    const created = await res.create(inputs);
    expect(created.id).toMatch(/^MG\w{32}\/PN\w{32}$/);
    expect(await res.diff(created.id, created.properties, inputs)).toMatchObject({ changes: "none" });
    expect((await res.read(created.id, created.properties)).id).toBe(created.id);
    const moved = await res.check(inputs, { messagingServiceSid: existingMessaging, phoneNumber: "+14155550199" });
    expect(await res.diff(created.id, created.properties, moved.inputs)).toEqual({
      changes: "some",
      replaces: ["phoneNumber"],
      deleteBeforeReplace: true,
    });
    await res.delete(created.id, created.properties);
    expect((await res.read(created.id, created.properties)).id).toBe("");
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
  });

  it("a preview with the API URL still unknown passes check and diffs as a change, without calling Twilio", async () => {
    fixture.emulator.clearRequests();
    const res = resource("ServiceWebhooks", "preview");
    const first = await res.check(
      {},
      { conversationServiceSid: frontline, preWebhookUrl: UNKNOWN, postWebhookUrl: UNKNOWN },
    );
    expect(first.failures).toEqual([]);
    expect(first.inputs).toMatchObject({
      preWebhookUrl: UNKNOWN,
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
    });
    const olds = {
      conversationServiceSid: frontline,
      preWebhookUrl: URL_A,
      postWebhookUrl: URL_A,
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
      previous: {},
    };
    const checked = await res.check(olds, {
      ...olds,
      preWebhookUrl: UNKNOWN,
      postWebhookUrl: UNKNOWN,
      previous: undefined,
    });
    expect(await res.diff(frontline, olds, checked.inputs)).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(fixture.emulator.requests).toEqual([]);
  });

  it("check failures come back as the engine shows them, naming the field and the form", async () => {
    const { failures } = await resource("SenderPoolEntry", "bad").check(
      {},
      { messagingServiceSid: "MG1", phoneNumber: "4155550100", authToken: "x" },
    );
    expect(failures.map((f) => f.property)).toEqual(["messagingServiceSid", "phoneNumber", "authToken"]);
    expect(failures[1]?.reason).toMatch(/phoneNumber must be a phone number in E\.164 form/);
    expect(failures[2]?.reason).toMatch(/never from inputs/);
  });

  it("a Twilio failure during create reaches the engine with Twilio's code and the hint", async () => {
    const res = resource("SenderPoolEntry", "conflict");
    const other = fixture.emulator.addMessagingService({ friendlyName: "Marketing" });
    const pn = fixture.emulator.addPhoneNumber("+14155550177");
    fixture.emulator.addToSenderPool(other, pn);
    const { inputs } = await res.check({}, { messagingServiceSid: existingMessaging, phoneNumber: "+14155550177" });
    await expect(res.create(inputs)).rejects.toThrow(
      new RegExp(`already in the sender pool of Messaging Service ${other} \\("Marketing"\\).*21712`),
    );
  });
});
