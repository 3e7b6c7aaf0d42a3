import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALLBACKS } from "../../lambda/handlers/index.js";
import { BASE_URL, invoke, signedEvent, testApp } from "../support/callbacks.js";
import { AUTH_TOKEN } from "../support/fixtures.js";
import { twilioSignature } from "../support/sign.js";

const KNOWN_NAMES = [
  "Location",
  "Worker",
  "PageSize",
  "Anchor",
  "NextPageToken",
  "Query",
  "CustomerId",
  "ChannelType",
  "ChannelValue",
  "ConversationSid",
  "EventType",
  "ParticipantSid",
  "Identity",
  "Attributes",
  "MessagingBinding.Address",
  "MessagingBinding.AuthorAddress",
];
const KNOWN_VALUES = [
  "GetCustomersList",
  "GetCustomerDetailsByCustomerId",
  "GetProxyAddress",
  "GetTemplatesByCustomerId",
  "onConversationAdd",
  "onParticipantAdded",
  "sms",
  "whatsapp",
  "1",
  "2",
  "-1",
  "0",
  "1e9",
  "alice@example.com",
  "+15550000001",
  "whatsapp:+15550000001",
  "CH" + "b".repeat(32),
  "MB" + "c".repeat(32),
  "{}",
  '{"a":1}',
  "[1]",
  "null",
  "__proto__",
  "constructor",
];

const name = fc.oneof(
  fc.constantFrom(...KNOWN_NAMES),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const value = fc.oneof(
  fc.constantFrom(...KNOWN_VALUES),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.nat().map(String),
);
const params = fc.array(fc.tuple(name, value), { maxLength: 12 });
const path = fc.oneof(
  fc.constantFrom(...CALLBACKS.map((c) => c.path)),
  fc.string({ maxLength: 20 }).map((s) => `/${s}`),
);

describe("no input yields a 5xx", () => {
  it("signed arbitrary parameters on every callback answer below 500", async () => {
    const { app } = testApp();
    await fc.assert(
      fc.asyncProperty(path, params, fc.boolean(), async (p, pairs, base64) => {
        const answer = await invoke(app, signedEvent({ path: p, params: pairs, base64 }));
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.json).toEqual({ error: expect.any(String) });
      }),
      { numRuns: 400 },
    );
  });

  it("unsigned, mis-signed and malformed requests answer below 500", async () => {
    const { app } = testApp();
    const headers = fc.dictionary(
      fc.constantFrom(
        "content-type",
        "x-twilio-signature",
        "host",
        "x-forwarded-proto",
        "content-length",
        "X-Twilio-Signature",
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom("application/x-www-form-urlencoded", "application/json", "", "https", "http"),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        params,
        headers,
        fc.constantFrom("POST", "GET", "PUT", ""),
        fc.option(fc.string({ unit: "binary", maxLength: 200 })),
        fc.boolean(),
        async (p, pairs, extraHeaders, method, rawBody, base64) => {
          const event = signedEvent({ path: p, params: pairs, token: null, method, headers: extraHeaders });
          if (rawBody !== null) event.body = base64 ? Buffer.from(rawBody).toString("base64") : rawBody;
          event.isBase64Encoded = base64;
          const answer = await invoke(app, event);
          expect(answer.status).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("signing raw, undecodable form bodies still answers below 500", async () => {
    const { app } = testApp();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), async (raw) => {
        const event = signedEvent({ path: "/callbacks/crm", params: [] });
        event.body = raw;
        const parsed = [...new URLSearchParams(raw)];
        event.headers["x-twilio-signature"] = twilioSignature(AUTH_TOKEN, `${BASE_URL}/callbacks/crm`, parsed);
        expect((await invoke(app, event)).status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});
