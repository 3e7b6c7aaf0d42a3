import { describe, expect, it } from "vitest";
import { call, testApp } from "../support/callbacks.js";
import { CONVERSATION_SID } from "../support/fixtures.js";

const PATH = "/callbacks/routing";
const inbound = (address: string, extra: Record<string, string> = {}) => ({
  ConversationSid: CONVERSATION_SID,
  "MessagingBinding.Address": address,
  "MessagingBinding.ProxyAddress": "+15559990000",
  ...extra,
});

describe("routing", () => {
  it("adds the customer's worker to the conversation before answering 200", async () => {
    const { app, conversations } = testApp();
    const answer = await call(app, PATH, inbound("+15550000003"));
    expect(answer.status).toBe(200);
    expect(conversations.calls).toEqual([{ op: "addWorker", args: [CONVERSATION_SID, "bob@example.com"] }]);
  });

  it("matches WhatsApp addresses with their prefix", async () => {
    const { app, conversations } = testApp();
    await call(app, PATH, inbound("whatsapp:+15550000001"));
    expect(conversations.calls[0]!.args[1]).toBe("Alice@Example.com");
  });

  it("counts 'already a participant' as success", async () => {
    const { app, conversations } = testApp();
    conversations.addWorkerResult = "already";
    expect((await call(app, PATH, inbound("+15550000003"))).status).toBe(200);
  });

  it("falls back to DEFAULT_WORKER for an unknown sender", async () => {
    const { app, conversations } = testApp({ settings: { defaultWorker: "desk@example.com" } });
    await call(app, PATH, inbound("+15551112222"));
    expect(conversations.calls).toEqual([{ op: "addWorker", args: [CONVERSATION_SID, "desk@example.com"] }]);
  });

  it("answers 200 and logs a warning when there is no worker at all", async () => {
    const { app, conversations, log } = testApp({ settings: {} });
    const answer = await call(app, PATH, inbound("+15551112222"));
    expect(answer.status).toBe(200);
    expect(conversations.calls).toEqual([]);
    const warning = log.entries.find((e) => e.level === "warn");
    expect(warning?.message).toMatch(/no worker/);
    expect(JSON.stringify(warning)).not.toContain("+15551112222");
  });

  it("routes group MMS by the author address", async () => {
    const { app, conversations } = testApp();
    await call(app, PATH, inbound("+15551112222,+15550000003", { "MessagingBinding.AuthorAddress": "+15550000003" }));
    expect(conversations.calls[0]!.args[1]).toBe("bob@example.com");
  });

  it.each([[""], ["CH123"], ["XX" + "b".repeat(32)]])("answers 400 for ConversationSid %j", async (sid) => {
    const { app, conversations } = testApp();
    const answer = await call(app, PATH, inbound("+15550000003", { ConversationSid: sid }));
    expect(answer.status).toBe(400);
    expect(conversations.calls).toEqual([]);
  });

  it("logs ids only, never the customer's name or number", async () => {
    const { app, log } = testApp();
    await call(app, PATH, inbound("+15550000003"));
    const text = JSON.stringify(log.entries);
    expect(text).toContain(CONVERSATION_SID);
    expect(text).not.toMatch(/Carla|15550000003/);
  });
});
