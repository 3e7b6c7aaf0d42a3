import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crm } from "../../lambda/handlers/crm.js";
import { routing } from "../../lambda/handlers/routing.js";
import { twilioConversations } from "../../lambda/handlers/twilio-conversations.js";
import { lambdaHandler } from "../../lambda/runtime/lambda-app.js";
import { signedEvent } from "../support/callbacks.js";
import { ACCOUNT_SID, SERVICE_SID } from "../support/fixtures.js";
import {
  type AwsWorld,
  PUBLIC_BASE_URL as BASE,
  AUTH_TOKEN_PARAMETER as PRIMARY,
  startAwsWorld,
} from "../support/lambda-runtime.js";

const SECONDARY = "/frontline-stack/dev/twilio-auth-token-secondary";
const OLD = "0".repeat(31) + "1";
const NEW = "0".repeat(31) + "2";

/**
 * Twilio's side of a rotation, as far as the functions can tell: webhooks are signed with the
 * primary token; REST calls authenticate with the primary or the secondary token (until the
 * promotion, after which the old primary is revoked at once).
 */
const twilio = { signingToken: OLD, restTokens: new Set([OLD]) };

let aws: AwsWorld;
let ssm: AwsWorld["ssm"];
let fakeTwilio: Server;
let twilioUrl: string;
let table: string;
const restAuth: string[] = [];

beforeAll(async () => {
  aws = await startAwsWorld("rotation", { [PRIMARY]: OLD });
  ({ ssm, table } = aws);
  fakeTwilio = createServer((req, res) => {
    const token =
      Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
        .toString()
        .split(":")[1] ?? "";
    restAuth.push(token);
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (!twilio.restTokens.has(token)) {
        res.statusCode = 401;
        res.end(JSON.stringify({ code: 20003, message: "Authenticate", status: 401 }));
        return;
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ sid: "MB" + "0".repeat(32), identity: "bob@example.com" }));
    });
  });
  await new Promise<void>((resolve) => fakeTwilio.listen(0, "127.0.0.1", resolve));
  twilioUrl = `http://127.0.0.1:${(fakeTwilio.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await aws?.close();
  fakeTwilio?.closeAllConnections();
  await new Promise((resolve) => fakeTwilio?.close(resolve));
});

/** The function's environment as the Pulumi program sets it, with or without the secondary parameter. */
const functionEnv = (secondary: boolean) => ({
  PUBLIC_BASE_URL: BASE,
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN_PARAMETER: PRIMARY,
  ...(secondary ? { TWILIO_SECONDARY_AUTH_TOKEN_PARAMETER: SECONDARY } : {}),
  CUSTOMERS_TABLE: table,
  TWILIO_API_BASE_URL: twilioUrl,
  CONVERSATIONS_SERVICE_SID: SERVICE_SID,
});

/** One container of each function, as Lambda keeps them warm between requests. */
const deploy = (secondary: boolean) => ({
  crm: lambdaHandler(crm, functionEnv(secondary)),
  routing: lambdaHandler(routing, functionEnv(secondary)),
});

const statuses: number[] = [];
/** What Twilio sends during the step: a CRM page and a routed conversation, signed as Twilio signs now. */
async function traffic(functions: ReturnType<typeof deploy>, rounds = 3) {
  for (let i = 0; i < rounds; i++) {
    const sign = (path: string, params: Record<string, string>) =>
      signedEvent({ path, params, token: twilio.signingToken, signedUrl: `${BASE}${path}` });
    const answers = await Promise.all([
      functions.crm(sign("/callbacks/crm", { Location: "GetCustomersList", Worker: "alice@example.com" })),
      functions.routing(
        sign("/callbacks/routing", {
          ConversationSid: "CH" + String(i).repeat(32),
          "MessagingBinding.Address": "+15550000003",
        }),
      ),
    ]);
    statuses.push(...answers.map((answer) => answer.statusCode ?? 0));
  }
}

describe("Rotating the Auth Token by the README's runbook", () => {
  it("refuses no request at any step, and REST calls follow the token Twilio signs with", async () => {
    // Before: one token stored, Twilio signs with it.
    const before = deploy(false);
    await traffic(before);

    // 1. Console: request a secondary token. Twilio still signs with the old one; both authenticate REST.
    twilio.restTokens.add(NEW);
    await traffic(before);

    // 2. pulumi config set --secret twilio:secondaryAuthToken <new>; pulumi up: the secondary
    //    parameter is written before the functions get its name (their update depends on it).
    ssm.parameters[SECONDARY] = NEW;
    const during = deploy(true);
    await traffic(during);

    // 3. Console: promote the secondary. Signatures switch to it; the old token is revoked at once.
    twilio.signingToken = NEW;
    twilio.restTokens.delete(OLD);
    restAuth.length = 0;
    await traffic(during);
    // The first routed request after the promotion already called Twilio with the new token.
    expect(restAuth).not.toContain(OLD);
    expect(restAuth.length).toBeGreaterThan(0);

    // 4. pulumi config set --secret twilio:authToken <new>; pulumi config rm twilio:secondaryAuthToken;
    //    pulumi up: the primary parameter is updated, the functions lose the secondary's name, and the
    //    secondary parameter is deleted last. Containers of both generations keep answering.
    ssm.parameters[PRIMARY] = NEW;
    const after = deploy(false);
    await Promise.all([traffic(during), traffic(after)]);
    delete ssm.parameters[SECONDARY];
    await Promise.all([traffic(during), traffic(after)]);

    expect(statuses.length).toBe(2 * 3 * 8);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it("promoting without step 2 is what the runbook prevents: the old token alone refuses the new signatures", async () => {
    ssm.parameters[PRIMARY] = OLD;
    const only = lambdaHandler(crm, functionEnv(false));
    const path = "/callbacks/crm";
    const params = { Location: "GetCustomersList", Worker: "alice@example.com" };
    expect((await only(signedEvent({ path, params, token: OLD, signedUrl: `${BASE}${path}` }))).statusCode).toBe(200);
    expect((await only(signedEvent({ path, params, token: NEW, signedUrl: `${BASE}${path}` }))).statusCode).toBe(403);
  });
});

describe("onConversationAdd on Lambda when DynamoDB is unreachable", () => {
  it("answers 200 with no changes, so the conversation is still created", async () => {
    ssm.parameters[PRIMARY] = OLD;
    const previous = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    // Nothing listens on port 9 (discard): every attempt is refused.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = "http://127.0.0.1:9";
    try {
      const handler = lambdaHandler(twilioConversations, functionEnv(false));
      const path = "/callbacks/twilio-conversations";
      const params = {
        EventType: "onConversationAdd",
        "MessagingBinding.Address": "+15550000001",
        ChatServiceSid: SERVICE_SID,
      };
      const answer = await handler(signedEvent({ path, params, token: OLD, signedUrl: `${BASE}${path}` }));
      expect(answer.statusCode).toBe(200);
      expect(answer.body ?? "").toBe("");
    } finally {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = previous;
    }
  });
});
