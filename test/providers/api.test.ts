import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { twilioApiUrl } from "../../contract/twilio-api-url.js";
import { type ProviderConfig, RETRY, twilioApi, twilioCode } from "../../infra/twilio/api.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();
/** Stack config as the host hands it to `configure()`. */
const stackConfig = (values: Record<string, string>): ProviderConfig => ({ get: (key) => values[key] });
const credentials = () =>
  stackConfig({ "twilio:accountSid": fixture.emulator.accountSid, "twilio:authToken": fixture.emulator.authToken });

beforeEach(() => {
  fixture.emulator.clearRequests();
  fixture.emulator.clearFaults();
});

describe("credentials", () => {
  const saved = { sid: process.env["TWILIO_ACCOUNT_SID"], token: process.env["TWILIO_AUTH_TOKEN"] };
  afterEach(() => {
    for (const [key, value] of [
      ["TWILIO_ACCOUNT_SID", saved.sid],
      ["TWILIO_AUTH_TOKEN", saved.token],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("come from the namespaced stack config keys", async () => {
    delete process.env["TWILIO_ACCOUNT_SID"];
    delete process.env["TWILIO_AUTH_TOKEN"];
    expect(twilioApi(credentials()).accountSid).toBe(fixture.emulator.accountSid);
    await expect(
      twilioApi(credentials()).get("https://conversations.twilio.com/v1/Configuration"),
    ).resolves.toMatchObject({ account_sid: fixture.emulator.accountSid });
  });

  it("fall back to the environment at call time, config first", async () => {
    process.env["TWILIO_ACCOUNT_SID"] = fixture.emulator.accountSid;
    process.env["TWILIO_AUTH_TOKEN"] = fixture.emulator.authToken;
    await expect(twilioApi(undefined).get("https://conversations.twilio.com/v1/Configuration")).resolves.toMatchObject({
      account_sid: fixture.emulator.accountSid,
    });
    await expect(
      twilioApi(stackConfig({ "twilio:authToken": "wrong" })).get("https://conversations.twilio.com/v1/Configuration"),
    ).rejects.toThrow(/HTTP 401, code 20003: Authenticate\. Hint: check twilio:accountSid and twilio:authToken/);
  });

  it("say how to set them when missing or malformed", () => {
    delete process.env["TWILIO_ACCOUNT_SID"];
    delete process.env["TWILIO_AUTH_TOKEN"];
    expect(() => twilioApi(stackConfig({}))).toThrow(/pulumi config set --secret twilio:authToken/);
    expect(() => twilioApi(stackConfig({ "twilio:accountSid": "SK0123", "twilio:authToken": "x" }))).toThrow(
      /AC followed by 32 hex/,
    );
  });
});

describe("requests against the emulator", () => {
  it("reach TWILIO_API_BASE_URL as the real host and path", async () => {
    await twilioApi(credentials()).get("https://conversations.twilio.com/v1/Configuration");
    expect(fixture.emulator.requests).toMatchObject([
      { method: "GET", host: "conversations.twilio.com", path: "/v1/Configuration" },
    ]);
  });

  it("encode booleans, repeated keys, and null or an empty list as an empty value", async () => {
    const service = fixture.emulator.addConversationService("Frontline Service");
    const api = twilioApi(credentials());
    const url = `https://conversations.twilio.com/v1/Services/${service}/Configuration/Webhooks`;
    await api.post(url, { Filters: ["onConversationAdd", "onParticipantAdded"], PreWebhookUrl: "https://x.example/a" });
    await api.post(url, { Filters: [], PreWebhookUrl: null });
    expect(fixture.emulator.requests.map((r) => r.form)).toEqual([
      { Filters: ["onConversationAdd", "onParticipantAdded"], PreWebhookUrl: "https://x.example/a" },
      { Filters: "", PreWebhookUrl: "" },
    ]);
    expect(fixture.emulator.state().conversationServices[service]?.webhooks).toMatchObject({
      filters: null,
      preWebhookUrl: null,
    });
  });

  it("follow v1 paging and 2010 paging to the end", async () => {
    for (let i = 0; i < 55; i++) fixture.emulator.addMessagingService({ friendlyName: `svc ${i}` });
    for (let i = 0; i < 55; i++) fixture.emulator.addPhoneNumber(`+1415555${String(1000 + i)}`);
    const api = twilioApi(credentials());
    expect(await api.list("https://messaging.twilio.com/v1/Services", "services")).toHaveLength(55);
    const numbers = await api.list<{ phone_number: string }>(
      `https://api.twilio.com/2010-04-01/Accounts/${api.accountSid}/IncomingPhoneNumbers.json`,
      "incoming_phone_numbers",
      { PhoneNumber: "+1415555" },
    );
    expect(numbers).toHaveLength(55);
    expect(fixture.emulator.requests.filter((r) => r.method === "GET")).toHaveLength(4);
  });

  it("map 20404 to undefined with ifFound, and keep other errors", async () => {
    const api = twilioApi(credentials());
    await expect(
      api.ifFound(api.get(`https://messaging.twilio.com/v1/Services/MG${"0".repeat(32)}`)),
    ).resolves.toBeUndefined();
    // Valid for the spec (the suite's request log stays free of violations), refused by Twilio: no such number.
    const mg = fixture.emulator.addMessagingService({ friendlyName: "Senders" });
    const failure = await api
      .post(`https://messaging.twilio.com/v1/Services/${mg}/PhoneNumbers`, { PhoneNumberSid: `PN${"0".repeat(32)}` })
      .catch((error: unknown) => error);
    expect(twilioCode(failure)).toBe(21421);
    expect(String(failure)).toMatch(
      /Twilio POST messaging\/v1\/Services\/MG\w+\/PhoneNumbers failed: HTTP 400, code 21421: .*PhoneNumberSid.*Hint: Twilio refused a parameter: check the resource's arguments \(https:\/\/www\.twilio\.com\/docs\/errors\/21421\)/,
    );
  });

  it("retry 429 after Retry-After and 5xx with backoff, then give up with the attempt count and a hint", async () => {
    const api = twilioApi(credentials());
    fixture.emulator.injectFault({
      path: "/conversations/v1/Configuration",
      status: 429,
      count: 1,
      retryAfterSeconds: 1,
    });
    fixture.emulator.injectFault({ path: "/conversations/v1/Configuration", status: 503, count: 1 });
    const started = Date.now();
    await api.get("https://conversations.twilio.com/v1/Configuration");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000 + RETRY.baseDelayMs);
    expect(fixture.emulator.requests.map((r) => r.status)).toEqual([429, 503, 200]);
    fixture.emulator.injectFault({ path: "/conversations/v1/Configuration", status: 500, count: RETRY.attempts });
    await expect(api.get("https://conversations.twilio.com/v1/Configuration")).rejects.toThrow(
      new RegExp(
        `failed after ${RETRY.attempts} attempts: HTTP 500, code 20500: Internal Server Error\\. Hint: Twilio kept failing after every retry`,
      ),
    );
  }, 30_000);
});

describe("against a misbehaving server", () => {
  let server: Server | undefined;
  const saved = process.env["TWILIO_API_BASE_URL"];
  afterEach(async () => {
    process.env["TWILIO_API_BASE_URL"] = saved;
    await new Promise((resolve) => server?.close(resolve));
  });

  async function serve(
    answers: Array<(res: import("node:http").ServerResponse) => void>,
  ): Promise<{ hits: () => number }> {
    let hits = 0;
    server = createServer((req, res) => {
      req.resume();
      const answer = answers[Math.min(hits++, answers.length - 1)]!;
      answer(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    process.env["TWILIO_API_BASE_URL"] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { hits: () => hits };
  }

  it("send each Twilio URL where contract/twilio-api-url.ts says, and pass other URLs (paging links) through", async () => {
    const seen: string[] = [];
    const { hits } = await serve([(res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}")]);
    server!.on("request", (req) => seen.push(req.url!));
    const base = `${process.env["TWILIO_API_BASE_URL"]}/`;
    process.env["TWILIO_API_BASE_URL"] = base;
    const api = twilioApi(credentials());
    const urls = [
      "https://conversations.twilio.com/v1/Configuration/Addresses/%2B14155550100",
      "https://api.twilio.com/2010-04-01/Accounts/AC0/IncomingPhoneNumbers.json",
      "https://frontline-api.twilio.com/v1/Users/x",
    ];
    for (const url of urls) await api.get(url);
    await api.get(`${base}messaging/v1/Services?PageSize=50&Page=1`);
    expect(seen).toEqual([
      ...urls.map((url) => new URL(twilioApiUrl(url, base)).pathname),
      "/messaging/v1/Services?PageSize=50&Page=1",
    ]);
    expect(hits()).toBe(4);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const { hits } = await serve([
      (res) =>
        res
          .writeHead(429, {
            "Retry-After": new Date(Date.now() + 2000).toUTCString(),
            "Content-Type": "application/json",
          })
          .end('{"code":20429,"message":"Too Many Requests"}'),
      (res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"),
    ]);
    const started = Date.now();
    await twilioApi(credentials()).get("https://conversations.twilio.com/v1/Configuration");
    expect(hits()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("repeats a read and an absolute-value write after a dropped connection, but never a create", async () => {
    const drop = (res: import("node:http").ServerResponse) => res.socket?.destroy();
    const first = await serve([
      drop,
      (res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}'),
    ]);
    await expect(twilioApi(credentials()).get("https://conversations.twilio.com/v1/Configuration")).resolves.toEqual({
      ok: true,
    });
    expect(first.hits()).toBe(2);
    await new Promise((resolve) => server?.close(resolve));
    const ok = (res: import("node:http").ServerResponse) =>
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    const second = await serve([drop, ok]);
    await expect(
      twilioApi(credentials()).post("https://messaging.twilio.com/v1/Services/MG0", { FriendlyName: "x" }),
    ).resolves.toEqual({});
    expect(second.hits()).toBe(2);
    await new Promise((resolve) => server?.close(resolve));
    const third = await serve([drop, ok]);
    const create = twilioApi(credentials()).post(
      "https://messaging.twilio.com/v1/Services",
      { FriendlyName: "x" },
      { once: true },
    );
    await expect(create).rejects.toThrow(/Could not reach http:\/\/127\.0\.0\.1:\d+\/messaging\/v1\/Services: /);
    await expect(create).rejects.toMatchObject({ name: "TwilioApiError", status: 0 });
    expect(third.hits()).toBe(1);
  });
});
