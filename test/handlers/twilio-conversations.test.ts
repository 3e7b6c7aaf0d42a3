import { describe, expect, it } from "vitest";
import { call, testApp } from "../support/callbacks.js";
import { CONVERSATION_SID, PARTICIPANT_SID } from "../support/fixtures.js";

const PATH = "/callbacks/twilio-conversations";

describe("twilio-conversations: onConversationAdd (pre)", () => {
  it("names the conversation after the customer and passes the avatar as a JSON string", async () => {
    const answer = await call(testApp().app, PATH, {
      EventType: "onConversationAdd",
      "MessagingBinding.Address": "+15550000001",
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      friendly_name: "Ann Smith",
      attributes: JSON.stringify({ avatar: "https://example.com/ann.png" }),
    });
  });

  it("uses the raw address and '{}' for an unknown sender", async () => {
    const answer = await call(testApp().app, PATH, {
      EventType: "onConversationAdd",
      "MessagingBinding.Address": "+15551112222",
    });
    expect(answer.json).toEqual({ friendly_name: "+15551112222", attributes: "{}" });
  });

  it("answers 200 with no changes when the directory cannot be read, and logs why", async () => {
    const failing = {
      list: async () => Promise.reject(new Error("unused")),
      getById: async () => Promise.reject(new Error("unused")),
      findByAddress: async () =>
        Promise.reject(
          Object.assign(new Error("dynamodb Query: key address#+15550000001 timed out"), { name: "TimeoutError" }),
        ),
    };
    const { app, log } = testApp({ directory: failing });
    const answer = await call(app, PATH, {
      EventType: "onConversationAdd",
      "MessagingBinding.Address": "+15550000001",
    });
    expect(answer).toMatchObject({ status: 200, text: "" });
    const entry = log.entries.find((e) => e.level === "error" && /onConversationAdd/.test(e.message));
    expect(entry?.fields?.error).toMatch(/TimeoutError/);
    // Ids only in logs: the customer's number stays out.
    expect(JSON.stringify(log.entries)).not.toContain("15550000001");
  });

  it("answers an empty 200 when the conversation is not from an inbound message", async () => {
    const answer = await call(testApp().app, PATH, { EventType: "onConversationAdd", FriendlyName: "Team" });
    expect(answer).toMatchObject({ status: 200, text: "" });
  });
});

describe("twilio-conversations: onParticipantAdded (post)", () => {
  const added = (extra: Record<string, string>) => ({
    EventType: "onParticipantAdded",
    ConversationSid: CONVERSATION_SID,
    ParticipantSid: PARTICIPANT_SID,
    ...extra,
  });

  it("stamps customer_id, display_name and avatar on a customer participant, keeping other attributes", async () => {
    const { app, conversations } = testApp();
    const answer = await call(
      app,
      PATH,
      added({ "MessagingBinding.Address": "+15550000001", Attributes: '{"vip":true}' }),
    );
    expect(answer.status).toBe(200);
    expect(conversations.calls).toHaveLength(1);
    const [conversationSid, participantSid, attributes] = conversations.calls[0]!.args;
    expect([conversationSid, participantSid]).toEqual([CONVERSATION_SID, PARTICIPANT_SID]);
    expect(JSON.parse(attributes!)).toEqual({
      vip: true,
      customer_id: "1",
      display_name: "Ann Smith",
      avatar: "https://example.com/ann.png",
    });
  });

  it("skips the update when the attributes already carry all three", async () => {
    const { app, conversations } = testApp();
    const attributes = JSON.stringify({
      avatar: "https://example.com/other.png",
      display_name: "Ann S.",
      customer_id: "1",
    });
    await call(app, PATH, added({ "MessagingBinding.Address": "+15550000001", Attributes: attributes }));
    expect(conversations.calls).toEqual([]);
  });

  it("leaves worker participants alone, even with an address on the event", async () => {
    const { app, conversations } = testApp();
    await call(
      app,
      PATH,
      added({ Identity: "alice@example.com", "MessagingBinding.Address": "+15550000001", Attributes: "{}" }),
    );
    expect(conversations.calls).toEqual([]);
  });

  it("keeps a customer_id already stamped (the app stamps the customer it started the conversation with)", async () => {
    const { app, conversations } = testApp();
    await call(app, PATH, added({ "MessagingBinding.Address": "+15550000001", Attributes: '{"customer_id":"7"}' }));
    expect(JSON.parse(conversations.calls[0]!.args[2]!)).toEqual({
      customer_id: "7",
      display_name: "Ann Smith",
      avatar: "https://example.com/ann.png",
    });
  });

  it("does nothing for an address no customer has", async () => {
    const { app, conversations } = testApp();
    expect((await call(app, PATH, added({ "MessagingBinding.Address": "+15551112222" }))).status).toBe(200);
    expect(conversations.calls).toEqual([]);
  });

  it("does not overwrite attributes it cannot parse", async () => {
    const { app, conversations } = testApp();
    await call(app, PATH, added({ "MessagingBinding.Address": "+15550000001", Attributes: "{not json" }));
    expect(conversations.calls).toEqual([]);
  });

  it("stamps with no Attributes at all", async () => {
    const { app, conversations } = testApp();
    await call(app, PATH, added({ "MessagingBinding.Address": "+15550000002" }));
    expect(JSON.parse(conversations.calls[0]!.args[2]!)).toEqual({ customer_id: "2", display_name: "Bob Stone" });
  });
});
