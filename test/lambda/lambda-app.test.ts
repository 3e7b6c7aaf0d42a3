import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crm } from "../../lambda/handlers/crm.js";
import { routing } from "../../lambda/handlers/routing.js";
import { templates } from "../../lambda/handlers/templates.js";
import { twilioConversations } from "../../lambda/handlers/twilio-conversations.js";
import { lambdaHandler } from "../../lambda/runtime/lambda-app.js";
import { pushTemplates } from "../../scripts/templates.js";
import { testClient } from "../customers/dynamo-fixture.js";
import { signedEvent } from "../support/callbacks.js";
import {
  PUBLIC_BASE_URL as BASE,
  type LambdaRuntimeWorld,
  AUTH_TOKEN_PARAMETER as PARAMETER,
  startLambdaRuntime,
} from "../support/lambda-runtime.js";

let world: LambdaRuntimeWorld;
let emulator: LambdaRuntimeWorld["emulator"];
let ssm: LambdaRuntimeWorld["ssm"];
let env: Record<string, string>;
let serviceSid: string;

beforeAll(async () => {
  world = await startLambdaRuntime("lambda");
  ({ emulator, ssm } = world);
  const client = testClient();
  await pushTemplates({
    client,
    table: world.table,
    categories: [{ display_name: "Stored", templates: [{ content: "{{FirstName}}, {{Author}} here" }] }],
  });
  client.destroy();
  emulator.addFrontlineUser({ identity: "alice@example.com", friendlyName: "Alice Liddell" });
  serviceSid = emulator.addConversationService("Frontline Service");
  env = { ...world.env, CONVERSATIONS_SERVICE_SID: serviceSid, TWILIO_SMS_NUMBER: "+15559990000" };
});
afterAll(() => world?.close());

const sign = (path: string, params: Record<string, string>, token = emulator.authToken) =>
  signedEvent({ path, params, token, signedUrl: `${BASE}${path}` });

describe("Lambda runtime", () => {
  it("serves GetCustomersList from the DynamoDB table, with the token read from SSM once", async () => {
    const handler = lambdaHandler(crm, env);
    for (let i = 0; i < 3; i++) {
      const result = await handler(
        sign("/callbacks/crm", { Location: "GetCustomersList", Worker: "alice@example.com" }),
      );
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body!).objects.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual([
        "1",
        "2",
        "4",
      ]);
    }
    expect(ssm.reads.filter((r) => r.name === PARAMETER)).toHaveLength(1);
    expect(ssm.reads.every((r) => r.withDecryption)).toBe(true);
  });
});

describe("Lambda runtime against the Twilio emulator", () => {
  it("routing adds the customer's worker through the service-scoped Participants endpoint", async () => {
    const conversationSid = emulator.addConversation({ serviceSid });
    emulator.clearRequests();
    const result = await lambdaHandler(
      routing,
      env,
    )(sign("/callbacks/routing", { ConversationSid: conversationSid, "MessagingBinding.Address": "+15550000003" }));
    expect(result.statusCode).toBe(200);
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        host: "conversations.twilio.com",
        path: `/v1/Services/${serviceSid}/Conversations/${conversationSid}/Participants`,
        form: { Identity: "bob@example.com" },
      }),
    ]);
    const participants = Object.values(emulator.state().participants).filter(
      (p) => p.conversationSid === conversationSid,
    );
    expect(participants.map((p) => p.identity)).toEqual(["bob@example.com"]);
  });

  it("routing twice answers 200 both times (the second add is 'already a participant')", async () => {
    const conversationSid = emulator.addConversation({ serviceSid });
    const handler = lambdaHandler(routing, env);
    const event = sign("/callbacks/routing", {
      ConversationSid: conversationSid,
      "MessagingBinding.Address": "+15550000003",
    });
    expect((await handler(event)).statusCode).toBe(200);
    expect((await handler(event)).statusCode).toBe(200);
    expect(
      Object.values(emulator.state().participants).filter((p) => p.conversationSid === conversationSid),
    ).toHaveLength(1);
  });

  it("retries a Twilio 429 and still routes inside the budget", async () => {
    const conversationSid = emulator.addConversation({ serviceSid });
    emulator.injectFault({ path: /Participants$/, status: 429, count: 1, retryAfterSeconds: 0 });
    const result = await lambdaHandler(
      routing,
      env,
    )(sign("/callbacks/routing", { ConversationSid: conversationSid, "MessagingBinding.Address": "+15550000003" }));
    expect(result.statusCode).toBe(200);
  });

  it("onParticipantAdded stamps the customer participant's attributes in Twilio", async () => {
    const conversationSid = emulator.addConversation({ serviceSid });
    const participantSid = emulator.addParticipant({
      conversationSid,
      address: "+15550000001",
      proxyAddress: "+15559990000",
      attributes: '{"vip":true}',
    });
    const result = await lambdaHandler(
      twilioConversations,
      env,
    )(
      sign("/callbacks/twilio-conversations", {
        EventType: "onParticipantAdded",
        ConversationSid: conversationSid,
        ParticipantSid: participantSid,
        "MessagingBinding.Address": "+15550000001",
        Attributes: '{"vip":true}',
      }),
    );
    expect(result.statusCode).toBe(200);
    const stamped = JSON.parse(emulator.state().participants[participantSid]!.attributes) as Record<string, unknown>;
    expect(stamped).toEqual({
      vip: true,
      customer_id: "1",
      display_name: "Ann Smith",
      avatar: "https://example.com/ann.png",
    });
  });
});

describe("Lambda templates: stored set and the worker's name", () => {
  const ask = { Location: "GetTemplatesByCustomerId", Worker: "alice@example.com", CustomerId: "1" };

  it("serves the templates stored in the table, {{Author}} from Frontline's Users API", async () => {
    const result = await lambdaHandler(templates, env)(sign("/callbacks/templates", ask));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual([
      { display_name: "Stored", templates: [{ content: "Ann, Alice Liddell here" }] },
    ]);
  });

  it("still answers 200 when the Users API fails, with the identity's local part", async () => {
    emulator.injectFault({ path: /Users/, status: 503, count: 1_000_000 });
    try {
      const result = await lambdaHandler(templates, env)(sign("/callbacks/templates", ask), {
        getRemainingTimeInMillis: () => 3_000,
      });
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body!)[0].templates[0].content).toBe("Ann, alice here");
    } finally {
      emulator.clearFaults();
    }
  });
});

describe("Lambda configuration and the Auth Token", () => {
  it("reads no configuration at import: a function with no environment loads, then answers one clear 500", async () => {
    const handler = lambdaHandler(crm, {});
    const result = await handler(sign("/callbacks/crm", { Location: "GetCustomersList", Worker: "a" }));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ error: "callback service is misconfigured; see its logs" });
  });

  it("picks up a rotated Auth Token without a redeploy", async () => {
    const handler = lambdaHandler(crm, env);
    const list = { Location: "GetCustomersList", Worker: "alice@example.com" };
    expect((await handler(sign("/callbacks/crm", list))).statusCode).toBe(200);
    const rotated = "9".repeat(32);
    ssm.parameters[PARAMETER] = rotated;
    try {
      expect((await handler(sign("/callbacks/crm", list, rotated))).statusCode).toBe(200);
    } finally {
      ssm.parameters[PARAMETER] = emulator.authToken;
    }
  });

  it("never puts the token in the function's environment", () => {
    expect(Object.values(env)).not.toContain(emulator.authToken);
  });
});
