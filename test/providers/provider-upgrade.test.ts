/**
 * Fixes that reach deployed stacks. Pulumi runs `delete` and `read` with the `__provider` text
 * stored at the last create or update, so a provider fix reaches a deployed resource only if the
 * next `pulumi up` updates it. Each resource is created with an older provider text, then diffed
 * with the current one through the provider host: a change, no replacement, and an update that
 * costs one read and no write, after which the engine stores the current text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Props } from "../support/provider-host.js";
import { addConsoleDefaultMessagingService, useTwilioEmulator } from "../support/twilio-emulator.js";
import {
  startTwilioProviderHost,
  type TwilioProviderHost,
  type TwilioResourceType,
} from "../support/twilio-provider-host.js";

const fixture = useTwilioEmulator();

const NUMBER = "+14155550100";
const URL_A = "https://a.example.com/callbacks/twilio-conversations";

let providers: TwilioProviderHost;
let frontline: string;
let messaging: string;

const cases: Array<[type: TwilioResourceType, args: () => Props]> = [
  ["ConversationsDefaults", () => ({ defaultChatServiceSid: frontline, defaultMessagingServiceSid: messaging })],
  ["ServiceWebhooks", () => ({ conversationServiceSid: frontline, preWebhookUrl: URL_A, postWebhookUrl: URL_A })],
  ["MessagingService", () => ({ friendlyName: "Frontline", statusCallback: URL_A })],
  ["SenderPoolEntry", () => ({ messagingServiceSid: messaging, phoneNumber: NUMBER })],
  ["AddressConfiguration", () => ({ address: NUMBER, conversationServiceSid: frontline })],
];

beforeAll(async () => {
  const emulator = fixture.emulator;
  frontline = emulator.addConversationService("Frontline Service");
  messaging = emulator.addMessagingService({ friendlyName: "Senders" });
  addConsoleDefaultMessagingService(emulator);
  emulator.addPhoneNumber(NUMBER);
  providers = await startTwilioProviderHost(fixture);
}, 120_000);

afterAll(() => providers?.close());

describe.each(cases)("%s", (type, args) => {
  it("a stored __provider that differs is a change: the update reads once, writes nothing, and the new code then runs delete", async () => {
    const emulator = fixture.emulator;
    const before = emulator.snapshot({ dates: false });
    const current = providers.text(type);
    // What an earlier release stored: other code, same behaviour (the host loads any text that exports a handler).
    const older = `${current}\n// an earlier release of this provider\n`;
    const old = providers.host.resource(older, `twilio:${type}`, `${type}-upgrade`);
    const created = await old.create((await old.check({}, args())).inputs);
    const stored = { ...created.properties, __provider: older };

    const res = providers.resource(type, `${type}-upgrade`);
    const { inputs } = await res.check(stored, args());
    emulator.clearRequests();
    expect(await res.diff(created.id, stored, inputs)).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(emulator.requests).toEqual([]);
    // The same text again is no change at all.
    expect((await res.diff(created.id, { ...stored, __provider: current }, inputs)).changes).toBe("none");

    const updated = await res.update(created.id, stored, inputs);
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET"]);
    expect(updated.properties).toEqual(created.properties);

    // From now on the engine holds the current text: delete runs it.
    await res.delete(created.id, updated.properties);
    expect(emulator.snapshot({ dates: false })).toBe(before);
  });
});
