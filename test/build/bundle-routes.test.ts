/**
 * Each built bundle, dist/lambda/<callback>/index.mjs, invoked with API Gateway v2 events: it must
 * answer as its own callback on its own path, and 404 on every other callback's path. This is what
 * catches a bundle built around the wrong handler: deployed, it would answer its route as another
 * callback (a routing request answered by crm is a 422).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLambdaBundles, ROOT } from "../../build/lambda-bundles.cjs";
import { CALLBACK_NAMES, type CallbackName, callbackPath } from "../../contract/callbacks.js";
import { signedEvent } from "../support/callbacks.js";
import { PUBLIC_BASE_URL as BASE, type LambdaRuntimeWorld, startLambdaRuntime } from "../support/lambda-runtime.js";

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

let world: LambdaRuntimeWorld;
let emulator: LambdaRuntimeWorld["emulator"];
let serviceSid: string;
const handlers = new Map<CallbackName, Handler>();

beforeAll(async () => {
  world = await startLambdaRuntime("bundles");
  emulator = world.emulator;
  serviceSid = emulator.addConversationService("Frontline Service");
  // What the stack sets on every function (each reads only its own settings); the bundles read
  // process.env as Lambda gives it to them.
  Object.assign(process.env, {
    ...world.env,
    CONVERSATIONS_SERVICE_SID: serviceSid,
    TWILIO_SMS_NUMBER: "+15559990000",
  });
  await buildLambdaBundles({ write: true });
  for (const name of CALLBACK_NAMES) {
    const file = pathToFileURL(join(ROOT, "dist", "lambda", name, "index.mjs")).href;
    handlers.set(name, ((await import(/* @vite-ignore */ file)) as { handler: Handler }).handler);
  }
});
afterAll(() => world?.close());

type Params = Record<string, string>;
/** A signed request only the named callback can answer, and how to recognise its answer. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON body, checked field by field by the matchers
const probes: Record<CallbackName, { params: () => Params; answered(body: any, params: Params): void }> = {
  crm: {
    params: () => ({ Location: "GetCustomersList", Worker: "alice@example.com" }),
    answered: (body) =>
      expect(body.objects.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(["1", "2", "4"]),
  },
  "outgoing-conversation": {
    params: () => ({ Location: "GetProxyAddress", ChannelType: "sms" }),
    answered: (body) => expect(body).toEqual({ proxy_address: "+15559990000" }),
  },
  templates: {
    params: () => ({ Location: "GetTemplatesByCustomerId", CustomerId: "1", Worker: "alice@example.com" }),
    answered: (body) =>
      expect(body[0]).toEqual(
        expect.objectContaining({ display_name: expect.any(String), templates: expect.any(Array) }),
      ),
  },
  routing: {
    params: () => ({
      ConversationSid: emulator.addConversation({ serviceSid }),
      "MessagingBinding.Address": "+15550000003",
    }),
    // The customer's worker was added to the conversation in Twilio.
    answered: (body, params) => {
      expect(body).toBeUndefined();
      const added = Object.values(emulator.state().participants).filter(
        (p) => p.conversationSid === params["ConversationSid"],
      );
      expect(added.map((p) => p.identity)).toEqual(["bob@example.com"]);
    },
  },
  "twilio-conversations": {
    params: () => ({ EventType: "onConversationAdd", "MessagingBinding.Address": "+15550000001" }),
    answered: (body) => expect(body).toEqual(expect.objectContaining({ friendly_name: "Ann Smith" })),
  },
};

const invoke = async (bundle: CallbackName, target: CallbackName) => {
  const path = callbackPath(target);
  const params = probes[target].params();
  const event = signedEvent({ path, params, token: emulator.authToken, signedUrl: `${BASE}${path}` });
  const result = await handlers.get(bundle)!(event);
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined, params };
};

describe.each(CALLBACK_NAMES)("dist/lambda/%s/index.mjs", (bundle) => {
  it("answers as its own callback on its own path", async () => {
    const { status, body, params } = await invoke(bundle, bundle);
    expect(status, JSON.stringify(body)).toBe(200);
    probes[bundle].answered(body, params);
  });

  it.each(CALLBACK_NAMES.filter((other) => other !== bundle))("answers 404 on the %s path", async (other) => {
    const { status, body } = await invoke(bundle, other);
    expect({ status, body }).toEqual({ status: 404, body: { error: "no callback at this path" } });
  });
});
