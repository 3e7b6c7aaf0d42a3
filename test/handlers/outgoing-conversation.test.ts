import { describe, expect, it } from "vitest";
import { call, testApp } from "../support/callbacks.js";

const PATH = "/callbacks/outgoing-conversation";
const ask = (channelType?: string) => ({
  Location: "GetProxyAddress",
  Worker: "alice@example.com",
  CustomerId: "1",
  ...(channelType === undefined ? {} : { ChannelType: channelType }),
  ChannelValue: "+15550000001",
});

describe("outgoing-conversation: GetProxyAddress", () => {
  it("answers the SMS number for sms", async () => {
    const answer = await call(testApp().app, PATH, ask("sms"));
    expect(answer).toMatchObject({ status: 200, json: { proxy_address: "+15559990000" } });
  });

  it("answers the WhatsApp sender for whatsapp", async () => {
    const answer = await call(testApp().app, PATH, ask("whatsapp"));
    expect(answer.json).toEqual({ proxy_address: "whatsapp:+15559990001" });
  });

  it("answers 403 JSON for whatsapp when no WhatsApp sender is configured", async () => {
    const { app } = testApp({ settings: { smsNumber: "+15559990000" } });
    const answer = await call(app, PATH, ask("whatsapp"));
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatch(/whatsapp/);
  });

  it("answers 403 for sms when no SMS number is configured", async () => {
    const { app } = testApp({ settings: {} });
    expect((await call(app, PATH, ask("sms"))).status).toBe(403);
  });

  it("answers 403 for a channel it has no sender for", async () => {
    expect((await call(testApp().app, PATH, ask("email"))).status).toBe(403);
  });

  it("answers 400 without ChannelType", async () => {
    expect((await call(testApp().app, PATH, ask())).status).toBe(400);
  });
});
