import { describe, expect, it } from "vitest";
import { cachedToken } from "../../lambda/runtime/auth-token.js";
import { TwilioApiError } from "../../lambda/twilio/rest.js";
import { BASE_URL, call, invoke, signedEvent, testApp } from "../support/callbacks.js";
import { AUTH_TOKEN, CONVERSATION_SID } from "../support/fixtures.js";
import { twilioSignature } from "../support/sign.js";

const LIST = { Location: "GetCustomersList", Worker: "alice@example.com", PageSize: "30" };
const CRM = "/callbacks/crm";

describe("adapter: checks in order", () => {
  it("answers 404 JSON for a path that is no callback", async () => {
    const { app } = testApp();
    const answer = await call(app, "/callbacks/nope", LIST);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: expect.any(String) });
  });

  it("refuses non-POST with 405 and Allow: POST, before anything else", async () => {
    const { app } = testApp();
    const answer = await call(app, CRM, LIST, {
      method: "GET",
      token: null,
      headers: { "content-type": "application/json" },
    });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
  });

  it("refuses a JSON body with 415 even when signed (the signature would not cover it)", async () => {
    const { app } = testApp();
    const answer = await call(app, CRM, LIST, { headers: { "content-type": "application/json" } });
    expect(answer.status).toBe(415);
    expect(answer.json.error).toMatch(/x-www-form-urlencoded/);
  });

  it("refuses a missing content type with 415", async () => {
    const event = signedEvent({ path: CRM, params: LIST });
    delete event.headers["content-type"];
    expect((await invoke(testApp().app, event)).status).toBe(415);
  });

  it("accepts the content type in any case and with parameters", async () => {
    const { app } = testApp();
    const answer = await call(app, CRM, LIST, {
      headers: { "content-type": "Application/X-WWW-Form-Urlencoded;charset=utf-8" },
    });
    expect(answer.status).toBe(200);
  });

  it("refuses a body over 64 KiB with 413 before looking at the signature", async () => {
    const { app } = testApp();
    const answer = await call(app, CRM, { ...LIST, Padding: "x".repeat(64 * 1024) }, { token: null });
    expect(answer.status).toBe(413);
  });

  it("accepts a body just under the limit", async () => {
    const { app } = testApp();
    const answer = await call(app, CRM, { ...LIST, Padding: "x".repeat(60 * 1024) });
    expect(answer.status).toBe(200);
  });

  it("answers 400 when X-Twilio-Signature is missing", async () => {
    const answer = await call(testApp().app, CRM, LIST, { token: null });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/X-Twilio-Signature/);
  });

  it("answers 403 when the signature was made with another token", async () => {
    const answer = await call(testApp().app, CRM, LIST, { token: "0".repeat(32) });
    expect(answer.status).toBe(403);
  });

  it("answers 403 when a parameter was changed after signing", async () => {
    const event = signedEvent({ path: CRM, params: LIST });
    event.body = event.body!.replace("alice", "mallory");
    expect((await invoke(testApp().app, event)).status).toBe(403);
  });

  it("answers 403 for a signature over another URL", async () => {
    const answer = await call(testApp().app, CRM, LIST, { signedUrl: `${BASE_URL}/callbacks/templates` });
    expect(answer.status).toBe(403);
  });

  it("checks the signature before the dispatch key: unsigned unknown Location is 400, not 422", async () => {
    const answer = await call(testApp().app, CRM, { Location: "Nope" }, { token: null });
    expect(answer.status).toBe(400);
  });
});

describe("adapter: what Twilio signed", () => {
  it("decodes base64 bodies (isBase64Encoded)", async () => {
    const answer = await call(testApp().app, CRM, LIST, { base64: true });
    expect(answer.status).toBe(200);
    expect(answer.json.objects.customers.length).toBeGreaterThan(0);
  });

  it("finds the signature header whatever its case", async () => {
    const event = signedEvent({ path: CRM, params: LIST });
    const signature = event.headers["x-twilio-signature"]!;
    delete event.headers["x-twilio-signature"];
    event.headers["X-Twilio-Signature"] = signature;
    event.headers["Content-Type"] = event.headers["content-type"]!;
    delete event.headers["content-type"];
    expect((await invoke(testApp().app, event)).status).toBe(200);
  });

  it("verifies against PUBLIC_BASE_URL + path, ignoring the Host header", async () => {
    const { app } = testApp({ publicBaseUrl: "https://frontline.example.org/" });
    const answer = await call(app, CRM, LIST, { signedUrl: `https://frontline.example.org${CRM}` });
    expect(answer.status).toBe(200);
    expect((await call(app, CRM, LIST)).status).toBe(403);
  });

  it("without PUBLIC_BASE_URL rebuilds https://Host + path", async () => {
    const { app } = testApp({ publicBaseUrl: null });
    const answer = await call(app, CRM, LIST, {
      signedUrl: `https://abc123.execute-api.us-east-1.amazonaws.com${CRM}`,
    });
    expect(answer.status).toBe(200);
  });

  it("without PUBLIC_BASE_URL honours X-Forwarded-Proto (a tunnel in front of http)", async () => {
    const { app } = testApp({ publicBaseUrl: null });
    const signedUrl = `http://tunnel.example.net${CRM}`;
    const answer = await call(app, CRM, LIST, {
      signedUrl,
      headers: { host: "tunnel.example.net", "x-forwarded-proto": "http" },
    });
    expect(answer.status).toBe(200);
    const wrongScheme = await call(app, CRM, LIST, {
      signedUrl,
      headers: { host: "tunnel.example.net", "x-forwarded-proto": "https" },
    });
    expect(wrongScheme.status).toBe(403);
  });

  it("includes the query string in the signed URL", async () => {
    const { app } = testApp();
    expect((await call(app, CRM, LIST, { rawQuery: "stage=blue" })).status).toBe(200);
    const event = signedEvent({ path: CRM, params: LIST, rawQuery: "stage=blue" });
    event.rawQueryString = "stage=green";
    expect((await invoke(app, event)).status).toBe(403);
  });

  it("accepts a signature over the URL with an explicit :443, as Twilio's validator does", async () => {
    const answer = await call(testApp().app, CRM, LIST, { signedUrl: `https://callbacks.example.com:443${CRM}` });
    expect(answer.status).toBe(200);
  });

  it("signs repeated parameters by their sorted distinct values", async () => {
    const params = [
      ["Location", "GetCustomersList"],
      ["Worker", "alice@example.com"],
      ["Tag", "b"],
      ["Tag", "a"],
    ] as const;
    expect((await call(testApp().app, CRM, params)).status).toBe(200);
  });

  it("answers 403, not 500, when the Host header is garbage and no base URL is set", async () => {
    const { app } = testApp({ publicBaseUrl: null });
    const answer = await call(app, CRM, LIST, { headers: { host: "exa mple[::" } });
    expect(answer.status).toBe(403);
  });
});

describe("adapter: Auth Token rotation", () => {
  it("re-reads the token once when a signature fails, so a rotated token works before the cache expires", async () => {
    let stored = AUTH_TOKEN;
    let loads = 0;
    let clock = 0;
    const token = cachedToken({ load: async () => (loads++, [stored]), now: () => clock });
    const { app } = testApp({ token });
    expect((await call(app, CRM, LIST)).status).toBe(200);
    stored = "1".repeat(32);
    clock += 60_000;
    expect((await call(app, CRM, LIST, { token: stored })).status).toBe(200);
    expect(loads).toBe(2);
  });

  it("does not turn every bad signature into a parameter read", async () => {
    let loads = 0;
    const token = cachedToken({ load: async () => (loads++, [AUTH_TOKEN]), now: () => 0 });
    const { app } = testApp({ token });
    for (let i = 0; i < 5; i++) expect((await call(app, CRM, LIST, { token: "2".repeat(32) })).status).toBe(403);
    // The first load, then one re-read for the first bad signature; the other four wait their turn.
    expect(loads).toBe(2);
  });
});

describe("adapter: when the token store fails", () => {
  it("keeps verifying with the token it holds while the store is down", async () => {
    let clock = 0;
    let down = false;
    const token = cachedToken({
      load: async () => (down ? Promise.reject(new Error("ThrottlingException")) : [AUTH_TOKEN]),
      now: () => clock,
    });
    const { app } = testApp({ token });
    expect((await call(app, CRM, LIST)).status).toBe(200);
    down = true;
    clock += 10 * 60_000;
    expect((await call(app, CRM, LIST)).status).toBe(200);
    expect((await call(app, CRM, LIST, { token: "3".repeat(32) })).status).toBe(403);
  });

  it("answers 503 JSON, not a thrown error, when no token can be read at all", async () => {
    const token = cachedToken({ load: async () => Promise.reject(new Error("AccessDeniedException")) });
    const { app, log } = testApp({ token });
    const answer = await call(app, CRM, LIST);
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({ error: expect.any(String) });
    expect(log.entries.some((e) => e.level === "error" && /AccessDenied/.test(String(e.fields?.error)))).toBe(true);
  });
});

describe("adapter: dispatch", () => {
  it("answers 422 when Location is missing", async () => {
    const answer = await call(testApp().app, CRM, { Worker: "alice@example.com" });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatch(/Location is required/);
  });

  it.each(["/callbacks/crm", "/callbacks/outgoing-conversation", "/callbacks/templates"])(
    "answers 422 for an unknown Location on %s",
    async (path) => {
      const answer = await call(testApp().app, path, { Location: "CreateCustomer", Worker: "alice@example.com" });
      expect(answer.status).toBe(422);
    },
  );

  it("does not dispatch to inherited object properties", async () => {
    const answer = await call(testApp().app, CRM, { Location: "constructor" });
    expect(answer.status).toBe(422);
  });

  it("answers 200 to a Conversations event it does not handle", async () => {
    const answer = await call(testApp().app, "/callbacks/twilio-conversations", {
      EventType: "onMessageAdded",
      ConversationSid: CONVERSATION_SID,
    });
    expect(answer.status).toBe(200);
  });

  it("answers 502 with Twilio's code, not a stack trace, when Twilio fails", async () => {
    const { app, conversations } = testApp();
    conversations.fail = new TwilioApiError(503, 20503, "Service unavailable");
    const answer = await call(app, "/callbacks/routing", {
      ConversationSid: CONVERSATION_SID,
      "MessagingBinding.Address": "+15550000001",
    });
    expect(answer.status).toBe(502);
    expect(answer.text).not.toMatch(/at .*\.ts/);
    expect(answer.json.error).toMatch(/20503/);
  });

  it("answers 500 with a generic reason when a handler breaks, and logs the message", async () => {
    const { app, conversations, log } = testApp();
    conversations.fail = new Error("socket hang up");
    const answer = await call(app, "/callbacks/routing", {
      ConversationSid: CONVERSATION_SID,
      "MessagingBinding.Address": "+15550000001",
    });
    expect(answer).toMatchObject({ status: 500, json: { error: "internal error" } });
    expect(log.entries.some((e) => e.level === "error" && e.fields?.error === "socket hang up")).toBe(true);
  });

  it("answers JSON with a JSON content type", async () => {
    const answer = await call(testApp().app, CRM, LIST);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("independent signer and Twilio's validator agree", async () => {
    const { validateRequest } = await import("twilio/lib/webhooks/webhooks.js");
    const params = { A: "1", b: "2", "MessagingBinding.Address": "whatsapp:+1555" };
    const url = `${BASE_URL}/x?y=1`;
    expect(validateRequest(AUTH_TOKEN, twilioSignature(AUTH_TOKEN, url, Object.entries(params)), url, params)).toBe(
      true,
    );
  });
});
