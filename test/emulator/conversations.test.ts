import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode, startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { CONV, call, SID } from "./client.js";

let emu: TwilioEmulator;
beforeEach(async () => {
  emu = await startTwilioEmulator();
});
afterEach(() => emu.close());

describe("account configuration", () => {
  it("starts like a real account: a default Conversations service is set", async () => {
    const { status, body } = await call(emu, "GET", `${CONV}/Configuration`);
    expect(status).toBe(200);
    expect(body.account_sid).toBe(emu.accountSid);
    expect(body.default_chat_service_sid).toMatch(SID("IS"));
    expect(body.default_messaging_service_sid).toBeNull();
    expect(body.url).toBe("https://conversations.twilio.com/v1/Configuration");
    const service = await call(emu, "GET", `${CONV}/Services/${body.default_chat_service_sid}`);
    expect(service.body.friendly_name).toBe("Default Conversations Service");
  });

  it("updates only the fields sent, and refuses a default that names no service", async () => {
    const frontline = emu.addConversationService("Frontline Service");
    const mg = emu.addMessagingService({ friendlyName: "Frontline senders" });
    const updated = await call(emu, "POST", `${CONV}/Configuration`, { DefaultChatServiceSid: frontline });
    expect(updated.body.default_chat_service_sid).toBe(frontline);
    await call(emu, "POST", `${CONV}/Configuration`, { DefaultMessagingServiceSid: mg });
    const { body } = await call(emu, "GET", `${CONV}/Configuration`);
    expect([body.default_chat_service_sid, body.default_messaging_service_sid]).toEqual([frontline, mg]);
    expect(body.links.service).toBe(`https://conversations.twilio.com/v1/Services/${frontline}/Configuration`);

    const ghost = "IS" + "0".repeat(32);
    const refused = await call(emu, "POST", `${CONV}/Configuration`, { DefaultChatServiceSid: ghost });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("DefaultChatServiceSid");
  });
});

describe("conversation services and their webhooks", () => {
  it("creates, lists with v1 paging meta, fetches and deletes services", async () => {
    const made = await call(emu, "POST", `${CONV}/Services`, { FriendlyName: "Frontline Service" });
    expect(made.status).toBe(201);
    expect(made.body.sid).toMatch(SID("IS"));
    expect(made.body.url).toBe(`https://conversations.twilio.com/v1/Services/${made.body.sid}`);
    expect(made.body.links.conversations).toBe(`${made.body.url}/Conversations`);
    expect(made.body.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const list = await call(emu, "GET", `${CONV}/Services?PageSize=1`);
    expect(list.body.meta).toMatchObject({ page: 0, page_size: 1, key: "services", previous_page_url: null });
    expect(list.body.services).toHaveLength(1);
    expect(list.body.meta.first_page_url).toBe("https://conversations.twilio.com/v1/Services?PageSize=1&Page=0");
    const next = await call(emu, "GET", list.body.meta.next_page_url);
    expect(next.body.services.map((s: { sid: string }) => s.sid)).toEqual([made.body.sid]);
    expect(next.body.meta.next_page_url).toBeNull();
    expect(next.body.meta.previous_page_url).not.toBeNull();

    expect((await call(emu, "DELETE", `${CONV}/Services/${made.body.sid}`)).status).toBe(204);
    const gone = await call(emu, "GET", `${CONV}/Services/${made.body.sid}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      code: 20404,
      message: `The requested resource /v1/Services/${made.body.sid} was not found`,
      more_info: "https://www.twilio.com/docs/errors/20404",
      status: 404,
    });
  });

  it("keeps service webhooks as a singleton: empty first, partial updates, repeated Filters", async () => {
    const is = emu.addConversationService("Frontline Service");
    const url = `${CONV}/Services/${is}/Configuration/Webhooks`;
    const empty = await call(emu, "GET", url);
    expect(empty.body).toEqual({
      account_sid: emu.accountSid,
      chat_service_sid: is,
      pre_webhook_url: null,
      post_webhook_url: null,
      filters: null,
      method: null,
      url: `https://conversations.twilio.com/v1/Services/${is}/Configuration/Webhooks`,
    });
    await call(emu, "POST", url, {
      PreWebhookUrl: "https://example.com/pre",
      PostWebhookUrl: "https://example.com/post",
      Filters: ["onConversationAdd", "onParticipantAdded"],
      Method: "POST",
    });
    const changed = await call(emu, "POST", url, { PostWebhookUrl: "https://example.com/post2" });
    expect(changed.body).toMatchObject({
      pre_webhook_url: "https://example.com/pre",
      post_webhook_url: "https://example.com/post2",
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
    });
    const cleared = await call(emu, "POST", url, { PreWebhookUrl: "", Filters: "" });
    expect(cleared.body).toMatchObject({ pre_webhook_url: null, filters: null });

    const typo = await call(emu, "POST", url, { Filters: ["onConversationAdd", "onParticipantAddedd"] });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toContain("onParticipantAddedd");
  });

  it("answers 404 for the webhooks of a service that does not exist", async () => {
    const ghost = "IS" + "1".repeat(32);
    const r = await call(emu, "GET", `${CONV}/Services/${ghost}/Configuration/Webhooks`);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(20404);
  });
});

describe("address configurations", () => {
  const base = `${CONV}/Configuration/Addresses`;

  it("creates with dotted AutoCreation fields and reads back by SID or by address", async () => {
    const is = emu.addConversationService("Frontline Service");
    emu.addPhoneNumber("+15551230001");
    const made = await call(emu, "POST", base, {
      Type: "sms",
      Address: "+15551230001",
      FriendlyName: "Frontline inbound",
      "AutoCreation.Enabled": "true",
      "AutoCreation.Type": "webhook",
      "AutoCreation.ConversationServiceSid": is,
      "AutoCreation.WebhookUrl": "https://example.com/hook",
      "AutoCreation.WebhookMethod": "post",
      "AutoCreation.WebhookFilters": ["onParticipantAdded", "onMessageAdded"],
    });
    expect(made.status).toBe(201);
    expect(made.body.sid).toMatch(SID("IG"));
    expect(made.body).toMatchObject({
      type: "sms",
      address: "+15551230001",
      friendly_name: "Frontline inbound",
      address_country: null,
      auto_creation: {
        enabled: true,
        type: "webhook",
        conversation_service_sid: is,
        webhook_url: "https://example.com/hook",
        webhook_method: "POST",
        webhook_filters: ["onParticipantAdded", "onMessageAdded"],
      },
      url: `https://conversations.twilio.com/v1/Configuration/Addresses/${made.body.sid}`,
    });
    const byAddress = await call(emu, "GET", `${base}/${encodeURIComponent("+15551230001")}`);
    expect(byAddress.body).toEqual(made.body);

    const updated = await call(emu, "POST", `${base}/${made.body.sid}`, {
      "AutoCreation.Type": "default",
      "AutoCreation.Enabled": "false",
    });
    expect(updated.body.auto_creation).toEqual({ enabled: false, type: "default", conversation_service_sid: is });

    expect((await call(emu, "DELETE", `${base}/${made.body.sid}`)).status).toBe(204);
    expect((await call(emu, "GET", `${base}/${made.body.sid}`)).status).toBe(404);
  });

  it("refuses a second configuration for the same address", async () => {
    emu.addPhoneNumber("+15551230001");
    const first = await call(emu, "POST", base, { Type: "sms", Address: "+15551230001" });
    const second = await call(emu, "POST", base, { Type: "sms", Address: "+15551230001" });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe(ErrorCode.AddressConfigurationExists);
    expect(second.body.message).toContain(first.body.sid);
  });

  it("refuses an sms address that is not a number of the account", async () => {
    const r = await call(emu, "POST", base, { Type: "sms", Address: "+15559990000" });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("+15559990000");
  });

  it("filters by Type and pages with the filter echoed into the links", async () => {
    for (let i = 1; i <= 3; i++) emu.addPhoneNumber(`+1555123000${i}`);
    for (let i = 1; i <= 3; i++) emu.addAddressConfiguration({ address: `+1555123000${i}` });
    emu.addAddressConfiguration({ type: "whatsapp", address: "whatsapp:+15551230001" });
    const page0 = await call(emu, "GET", `${base}?Type=sms&PageSize=2`);
    expect(page0.body.meta.key).toBe("address_configurations");
    expect(page0.body.address_configurations.map((c: { address: string }) => c.address)).toEqual([
      "+15551230001",
      "+15551230002",
    ]);
    expect(page0.body.meta.next_page_url).toMatch(
      /^https:\/\/conversations\.twilio\.com\/v1\/Configuration\/Addresses\?Type=sms&PageSize=2&Page=1&PageToken=/,
    );
    const page1 = await call(emu, "GET", page0.body.meta.next_page_url);
    expect(page1.body.address_configurations.map((c: { address: string }) => c.address)).toEqual(["+15551230003"]);
    expect(page1.body.meta.page).toBe(1);
    expect(page1.body.meta.next_page_url).toBeNull();
  });
});

describe("participants", () => {
  it("adds a chat participant, and refuses the same identity again with 409 / 50433", async () => {
    const is = emu.addConversationService("Frontline Service");
    const ch = emu.addConversation({ serviceSid: is });
    const url = `${CONV}/Services/${is}/Conversations/${ch}/Participants`;
    const made = await call(emu, "POST", url, { Identity: "alice@example.com" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      account_sid: emu.accountSid,
      chat_service_sid: is,
      conversation_sid: ch,
      identity: "alice@example.com",
      attributes: "{}",
      messaging_binding: null,
      url: `https://conversations.twilio.com/v1/Services/${is}/Conversations/${ch}/Participants/${made.body.sid}`,
    });
    expect(made.body.sid).toMatch(SID("MB"));
    const again = await call(emu, "POST", url, { Identity: "alice@example.com" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(50433);
  });

  it("adds an SMS participant once per address and proxy pair (50416)", async () => {
    const ch = emu.addConversation();
    const other = emu.addConversation();
    const form = { "MessagingBinding.Address": "+15550001111", "MessagingBinding.ProxyAddress": "+15551230001" };
    const made = await call(emu, "POST", `${CONV}/Conversations/${ch}/Participants`, form);
    expect(made.body.messaging_binding).toEqual({
      type: "sms",
      address: "+15550001111",
      proxy_address: "+15551230001",
    });
    const clash = await call(emu, "POST", `${CONV}/Conversations/${other}/Participants`, form);
    expect(clash.body.code).toBe(50416);
    expect(clash.body.message).toContain(ch);
  });

  it("fetches by SID or identity, updates Attributes, and lists", async () => {
    const ch = emu.addConversation();
    const mb = emu.addParticipant({ conversationSid: ch, identity: "bob@example.com" });
    emu.addParticipant({ conversationSid: ch, address: "+15550001111", proxyAddress: "+15551230001" });
    const url = `${CONV}/Conversations/${ch}/Participants`;
    const byIdentity = await call(emu, "GET", `${url}/bob%40example.com`);
    expect(byIdentity.body.sid).toBe(mb);
    expect(byIdentity.body).not.toHaveProperty("chat_service_sid");
    const updated = await call(emu, "POST", `${url}/${mb}`, { Attributes: JSON.stringify({ customer_id: "c1" }) });
    expect(updated.body.attributes).toBe('{"customer_id":"c1"}');
    expect(updated.body.date_updated > updated.body.date_created).toBe(true);
    const notJson = await call(emu, "POST", `${url}/${mb}`, { Attributes: "{oops" });
    expect(notJson.status).toBe(400);
    const list = await call(emu, "GET", url);
    expect(list.body.meta.key).toBe("participants");
    expect(list.body.participants).toHaveLength(2);
  });

  it("reaches only the default service through the account-scoped URLs", async () => {
    const is = emu.addConversationService("Not the default");
    const ch = emu.addConversation({ serviceSid: is });
    expect((await call(emu, "GET", `${CONV}/Conversations/${ch}/Participants`)).status).toBe(404);
    expect((await call(emu, "GET", `${CONV}/Services/${is}/Conversations/${ch}/Participants`)).status).toBe(200);
    const conversation = await call(emu, "GET", `${CONV}/Services/${is}/Conversations/${ch}`);
    expect(conversation.body).toMatchObject({ sid: ch, chat_service_sid: is, state: "active", attributes: "{}" });
  });
});
