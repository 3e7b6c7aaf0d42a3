import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { api2010, CONV, call, MSG } from "./client.js";

let emu: TwilioEmulator;
beforeEach(async () => {
  // Invalid on purpose: kept out of a suite-wide TWILIO_EMULATOR_LOG.
  emu = await startTwilioEmulator({ logFile: "" });
});
afterEach(() => emu.close());

/** Every deliberately invalid request must be refused with 400/20001 and leave no log entry. */
async function expectRejected(
  method: string,
  url: string,
  form: Record<string, string | string[]> | undefined,
  ...mentions: string[]
) {
  const before = emu.requests.length;
  const r = await call(emu, method, url, form);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.code).toBe(20001);
  expect(r.body.more_info).toBe("https://www.twilio.com/docs/errors/20001");
  for (const m of mentions) expect(r.body.message).toContain(m);
  expect(emu.requests.length).toBe(before);
  return r.body.message as string;
}

describe("spec validation", () => {
  it("rejects an unknown form parameter (a typo must not pass silently)", async () => {
    const is = emu.addConversationService("Frontline Service");
    const message = await expectRejected(
      "POST",
      `${CONV}/Services/${is}/Configuration/Webhooks`,
      { Filter: "onConversationAdd" },
      "Filter",
    );
    expect(message).toBe("Unknown parameter Filter in the post body");
  });

  it("rejects an unknown query parameter", async () => {
    await expectRejected(
      "GET",
      `${CONV}/Configuration/Addresses?Typ=sms`,
      undefined,
      "Unknown parameter Typ in the query string",
    );
  });

  it("rejects a value outside the enum", async () => {
    emu.addPhoneNumber("+15551230001");
    await expectRejected(
      "POST",
      `${CONV}/Configuration/Addresses`,
      { Type: "text", Address: "+15551230001" },
      "Type",
      '"text"',
      "sms",
    );
    await expectRejected(
      "POST",
      `${CONV}/Configuration/Addresses`,
      { Type: "sms", Address: "+15551230001", "AutoCreation.WebhookMethod": "PUT" },
      "AutoCreation.WebhookMethod",
    );
  });

  it("refuses an empty value where the spec has no empty value: enums, SID patterns, booleans, required fields", async () => {
    const is = emu.addConversationService("Frontline Service");
    const ig = emu.addAddressConfiguration({
      address: "whatsapp:+15551230001",
      type: "whatsapp",
      autoCreation: { enabled: true, type: "default", conversationServiceSid: is },
    });
    const before = emu.snapshot();
    const url = `${CONV}/Configuration/Addresses/${ig}`;
    await expectRejected(
      "POST",
      url,
      { "AutoCreation.Type": "" },
      "AutoCreation.Type",
      "empty value",
      "webhook, studio, default",
    );
    await expectRejected(
      "POST",
      url,
      { "AutoCreation.ConversationServiceSid": "" },
      "AutoCreation.ConversationServiceSid",
      "^IS[0-9a-fA-F]{32}$",
    );
    await expectRejected("POST", url, { "AutoCreation.Enabled": "" }, "AutoCreation.Enabled", "boolean");
    await expectRejected(
      "POST",
      `${CONV}/Configuration`,
      { DefaultMessagingServiceSid: "" },
      "DefaultMessagingServiceSid",
    );
    await expectRejected(
      "POST",
      `${MSG}/Services/${emu.addMessagingService({ friendlyName: "x" })}`,
      { InboundMethod: "" },
      "InboundMethod",
      "GET, POST",
    );
    await expectRejected("POST", `${CONV}/Configuration/Addresses`, { Type: "sms", Address: "" }, "Address");
    expect(JSON.parse(emu.snapshot()).addressConfigurations).toEqual(JSON.parse(before).addressConfigurations);
  });

  it("accepts an empty value where the spec allows one: free strings, URLs, lists", async () => {
    const is = emu.addConversationService("Frontline Service");
    emu.setServiceWebhooks(is, {
      preWebhookUrl: "https://a.example/pre",
      postWebhookUrl: "https://a.example/post",
      filters: ["onMessageAdded"],
      method: "POST",
    });
    const r = await call(emu, "POST", `${CONV}/Services/${is}/Configuration/Webhooks`, {
      PreWebhookUrl: "",
      Filters: "",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ pre_webhook_url: null, filters: null, post_webhook_url: "https://a.example/post" });
    const ig = emu.addAddressConfiguration({ address: "whatsapp:+15551230001", type: "whatsapp", friendlyName: "old" });
    expect(
      (await call(emu, "POST", `${CONV}/Configuration/Addresses/${ig}`, { FriendlyName: "" })).body.friendly_name,
    ).toBeNull();
  });

  it("rejects a SID of the wrong kind, in the path and in the body", async () => {
    const mg = emu.addMessagingService({ friendlyName: "pool" });
    await expectRejected(
      "GET",
      `${CONV}/Services/${mg}/Configuration/Webhooks`,
      undefined,
      "ChatServiceSid",
      "^IS[0-9a-fA-F]{32}$",
    );
    await expectRejected("POST", `${CONV}/Configuration`, { DefaultChatServiceSid: mg }, "DefaultChatServiceSid");
    await expectRejected("POST", `${MSG}/Services/${mg}/PhoneNumbers`, { PhoneNumberSid: "PN123" }, "PhoneNumberSid");
  });

  it("rejects a missing required field with Twilio's wording", async () => {
    await expectRejected("POST", `${MSG}/Services`, {}, "Missing required parameter FriendlyName in the post body");
    await expectRejected(
      "POST",
      `${CONV}/Configuration/Addresses`,
      { Type: "sms" },
      "Missing required parameter Address",
    );
  });

  it("takes booleans only as true/false and integers only as digits", async () => {
    const mg = emu.addMessagingService({ friendlyName: "pool" });
    await expectRejected("POST", `${MSG}/Services/${mg}`, { StickySender: "yes" }, "StickySender", "boolean");
    await expectRejected("POST", `${MSG}/Services/${mg}`, { ValidityPeriod: "ten" }, "ValidityPeriod", "integer");
    await expectRejected("GET", `${MSG}/Services?PageSize=0`, undefined, "PageSize");
    const fine = await call(emu, "POST", `${MSG}/Services/${mg}`, { StickySender: "false", ValidityPeriod: "10" });
    expect(fine.body).toMatchObject({ sticky_sender: false, validity_period: 10 });
  });

  it("rejects a repeated key for a parameter that is not a list", async () => {
    await expectRejected("POST", `${MSG}/Services`, { FriendlyName: ["a", "b"] }, "FriendlyName", "2 times");
  });

  it("names every offending parameter at once", async () => {
    const message = await expectRejected("POST", `${MSG}/Services`, { Bogus: "1", StickySender: "maybe" });
    expect(message).toMatch(/Missing required parameter FriendlyName/);
    expect(message).toMatch(/Unknown parameter Bogus/);
    expect(message).toMatch(/StickySender/);
  });

  it("rejects a body that is not form-encoded", async () => {
    const before = emu.requests.length;
    const res = await fetch(`${emu.baseUrl}/messaging/v1/Services`, {
      method: "POST",
      headers: {
        Authorization: "Basic " + Buffer.from(`${emu.accountSid}:${emu.authToken}`).toString("base64"),
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ FriendlyName: "x" }),
    });
    expect(res.status).toBe(400);
    expect(emu.requests.length).toBe(before);
  });

  it("checks the headers the spec declares (X-Twilio-Webhook-Enabled) and ignores the others", async () => {
    const ch = emu.addConversation();
    const url = `${CONV}/Conversations/${ch}/Participants`;
    const bad = await call(
      emu,
      "POST",
      url,
      { Identity: "a@example.com" },
      { headers: { "X-Twilio-Webhook-Enabled": "yes" } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("X-Twilio-Webhook-Enabled");
    const good = await call(
      emu,
      "POST",
      url,
      { Identity: "a@example.com" },
      { headers: { "X-Twilio-Webhook-Enabled": "true", "X-Anything": "1" } },
    );
    expect(good.status).toBe(201);
  });

  it("accepts what the spec allows and logs it", async () => {
    const r = await call(emu, "GET", `${CONV}/Configuration/Addresses?Type=sms&PageSize=50&Page=0`);
    expect(r.status).toBe(200);
    expect(emu.requests).toHaveLength(1);
  });
});

describe("routing and auth", () => {
  it("answers 404/20404 for an endpoint that is not in the spec", async () => {
    for (const url of [
      `${CONV}/Nope`,
      `${MSG}/Services/MG${"a".repeat(32)}/Nope`,
      "https://conversations.twilio.com/v9/Services",
    ]) {
      const r = await call(emu, "GET", url);
      expect(r.status, url).toBe(404);
      expect(r.body.code).toBe(20404);
    }
    const unknownProduct = await fetch(`${emu.baseUrl}/video/v1/Rooms`);
    expect(unknownProduct.status).toBe(404);
    // A method the path does not offer is not an endpoint either.
    expect((await call(emu, "DELETE", `${CONV}/Configuration`)).status).toBe(404);
  });

  it("answers 501 for a spec operation the emulator does not model, instead of pretending", async () => {
    const r = await call(emu, "GET", `${CONV}/Credentials`);
    expect(r.status).toBe(501);
    expect(r.body.message).toContain("GET /v1/Credentials");
  });

  it("answers 401/20003 without Basic auth or with a wrong token, and logs nothing", async () => {
    const none = await call(emu, "GET", `${CONV}/Configuration`, undefined, { password: false });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 20003, message: "Authenticate", status: 401 });
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    const wrong = await call(emu, "GET", `${api2010(emu)}/IncomingPhoneNumbers.json`, undefined, {
      password: "0".repeat(32),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe(20003);
    expect(emu.requests).toHaveLength(0);
  });

  it("uses the account SID and token it was started with", async () => {
    const other = await startTwilioEmulator({ accountSid: "AC" + "c".repeat(32), authToken: "d".repeat(32) });
    try {
      expect(other.accountSid).toBe("AC" + "c".repeat(32));
      expect((await call(other, "GET", `${CONV}/Configuration`)).body.account_sid).toBe(other.accountSid);
      const withDefault = await call(other, "GET", `${CONV}/Configuration`, undefined, { password: emu.authToken });
      expect(withDefault.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
