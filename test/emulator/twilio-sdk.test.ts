/**
 * The official `twilio` package against the emulator: proves the SDK's real requests (encoding,
 * headers, paging links) pass the emulator's spec validation, and that its errors surface as the
 * SDK's RestException with Twilio's codes.
 */
import twilio from "twilio";
import RequestClient from "twilio/lib/base/RequestClient";
import type Response from "twilio/lib/http/response";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { twilioApiUrl } from "../../lambda/twilio/api-url.js";

/** Rewrites `https://<product>.twilio.com/...` to the emulator, keeping RequestClient's behaviour. */
class EmulatorRequestClient extends RequestClient {
  constructor(
    private readonly baseUrl: string,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: twilioApiUrl(opts.uri, this.baseUrl) });
  }
}

let emu: TwilioEmulator;
let client: twilio.Twilio;

// A fresh account per test, so lists and the request log hold only what the test made.
beforeEach(async () => {
  emu = await startTwilioEmulator();
  client = twilio(emu.accountSid, emu.authToken, {
    httpClient: new EmulatorRequestClient(emu.baseUrl, { autoRetry: true, maxRetryDelay: 20, keepAlive: true }),
  });
});
afterEach(() => emu.close());

async function restError(promise: Promise<unknown>): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { status: number; code: number; message: string };
  }
  throw new Error("expected the SDK call to fail");
}

describe("twilio-node against the emulator", () => {
  it("updates the Conversations account defaults", async () => {
    const is = emu.addConversationService("Frontline Service");
    const config = await client.conversations.v1.configuration().update({ defaultChatServiceSid: is });
    expect(config.defaultChatServiceSid).toBe(is);
    expect(emu.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        host: "conversations.twilio.com",
        path: "/v1/Configuration",
        form: { DefaultChatServiceSid: is },
        status: 200,
      }),
    ]);
  });

  it("sets service webhooks with Filters as repeated keys", async () => {
    const is = emu.addConversationService("Frontline Service");
    const hooks = await client.conversations.v1
      .services(is)
      .configuration.webhooks()
      .update({
        preWebhookUrl: "https://example.com/pre",
        postWebhookUrl: "https://example.com/post",
        filters: ["onConversationAdd", "onParticipantAdded"],
        method: "POST",
      });
    expect(hooks.filters).toEqual(["onConversationAdd", "onParticipantAdded"]);
    expect(emu.requests[0]?.form["Filters"]).toEqual(["onConversationAdd", "onParticipantAdded"]);
  });

  it("adds a number to a sender pool, and surfaces 21710 as a RestException", async () => {
    const mg = emu.addMessagingService({ friendlyName: "Frontline senders" });
    const pn = emu.addPhoneNumber("+15551230001");
    const entry = await client.messaging.v1.services(mg).phoneNumbers.create({ phoneNumberSid: pn });
    expect(entry.sid).toBe(pn);
    expect(entry.serviceSid).toBe(mg);
    const err = await restError(client.messaging.v1.services(mg).phoneNumbers.create({ phoneNumberSid: pn }));
    expect(err).toMatchObject({ status: 409, code: 21710 });
  });

  it("creates an address configuration from the SDK's dotted camel keys", async () => {
    const is = emu.addConversationService("Frontline Service");
    emu.addPhoneNumber("+15551230002");
    const made = await client.conversations.v1.addressConfigurations.create({
      type: "sms",
      address: "+15551230002",
      "autoCreation.enabled": true,
      "autoCreation.type": "default",
      "autoCreation.conversationServiceSid": is,
    });
    expect(made.autoCreation).toEqual({ enabled: true, type: "default", conversation_service_sid: is });
    expect(emu.requests[0]?.form).toEqual({
      Type: "sms",
      Address: "+15551230002",
      "AutoCreation.Enabled": "true",
      "AutoCreation.Type": "default",
      "AutoCreation.ConversationServiceSid": is,
    });
    const fetched = await client.conversations.v1.addressConfigurations("+15551230002").fetch();
    expect(fetched.sid).toBe(made.sid);
  });

  it("follows v1 next_page_url and 2010 next_page_uri when listing", async () => {
    for (let i = 0; i < 3; i++) emu.addMessagingService({ friendlyName: `svc ${i}` });
    const services = await client.messaging.v1.services.list({ pageSize: 2 });
    expect(services.map((s) => s.friendlyName)).toEqual(["svc 0", "svc 1", "svc 2"]);

    for (let i = 5; i < 8; i++) emu.addPhoneNumber(`+1555444000${i}`);
    const numbers = await client.api.v2010.account.incomingPhoneNumbers.list({ phoneNumber: "+1555444", pageSize: 2 });
    expect(numbers.map((n) => n.phoneNumber)).toEqual(["+15554440005", "+15554440006", "+15554440007"]);
    expect(emu.requestsMatching({ host: "api.twilio.com" })).toHaveLength(2);
  });

  it("adds a worker to a conversation once; the second add is 409 / 50433", async () => {
    const is = emu.addConversationService("Frontline Service");
    const ch = emu.addConversation({ serviceSid: is });
    const participants = client.conversations.v1.services(is).conversations(ch).participants;
    const p = await participants.create({ identity: "alice@example.com" });
    expect(p.identity).toBe("alice@example.com");
    const err = await restError(participants.create({ identity: "alice@example.com" }));
    expect(err).toMatchObject({ status: 409, code: 50433 });
    const updated = await participants(p.sid).update({ attributes: JSON.stringify({ customer_id: "42" }) });
    expect(JSON.parse(updated.attributes)).toEqual({ customer_id: "42" });
  });

  it("updates a Frontline user by identity", async () => {
    emu.addFrontlineUser({ identity: "alice@example.com" });
    const user = await client.frontlineApi.v1
      .users("alice@example.com")
      .update({ isAvailable: true, friendlyName: "Alice" });
    expect(user).toMatchObject({ identity: "alice@example.com", isAvailable: true, friendlyName: "Alice" });
  });

  it("maps a missing resource to RestException 404 / 20404", async () => {
    const err = await restError(client.messaging.v1.services("MG" + "0".repeat(32)).fetch());
    expect(err).toMatchObject({ status: 404, code: 20404 });
  });

  it("retries an injected 429 with autoRetry and then succeeds", async () => {
    const mg = emu.addMessagingService({ friendlyName: "before" });
    emu.injectFault({ path: `/messaging/v1/Services/${mg}`, status: 429, count: 1, retryAfterSeconds: 1 });
    const updated = await client.messaging.v1.services(mg).update({ friendlyName: "after" });
    expect(updated.friendlyName).toBe("after");
    expect(emu.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});
