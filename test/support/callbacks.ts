import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { CustomerDirectory } from "../../lambda/customers/directory.js";
import { createJsonDirectory } from "../../lambda/customers/json-store.js";
import { CALLBACKS } from "../../lambda/handlers/index.js";
import type { Callback, Deps, Settings } from "../../lambda/handlers/types.js";
import type { AdapterOptions } from "../../lambda/http/adapter.js";
import { type AuthTokenSource, staticToken } from "../../lambda/runtime/auth-token.js";
import { memoryLogger } from "../../lambda/runtime/log.js";
import { DEFAULT_TEMPLATES } from "../../lambda/templates/catalog.js";
import type { ConversationsPort } from "../../lambda/twilio/conversations-port.js";
import { AUTH_TOKEN, customers } from "./fixtures.js";
import { formBody, type Params, toPairs, twilioSignature } from "./sign.js";

export const BASE_URL = "https://callbacks.example.com";

/** Records what handlers ask of Twilio; `fail` makes the next calls throw. */
export function recordingConversations(): ConversationsPort & {
  calls: Array<{ op: string; args: string[] }>;
  addWorkerResult: "added" | "already";
  fail?: Error;
} {
  const port = {
    calls: [] as Array<{ op: string; args: string[] }>,
    addWorkerResult: "added" as "added" | "already",
    fail: undefined as Error | undefined,
    async addWorker(conversationSid: string, identity: string) {
      port.calls.push({ op: "addWorker", args: [conversationSid, identity] });
      if (port.fail) throw port.fail;
      return port.addWorkerResult;
    },
    async setParticipantAttributes(conversationSid: string, participantSid: string, attributes: string) {
      port.calls.push({ op: "setParticipantAttributes", args: [conversationSid, participantSid, attributes] });
      if (port.fail) throw port.fail;
    },
  };
  return port;
}

export interface TestAppOptions {
  settings?: Settings;
  directory?: CustomerDirectory;
  token?: AuthTokenSource;
  publicBaseUrl?: string | null;
  workerName?: Deps["workerName"];
}

export function testApp(options: TestAppOptions = {}) {
  const conversations = recordingConversations();
  const log = memoryLogger();
  const directory = options.directory ?? createJsonDirectory(customers);
  const deps: Deps = {
    settings: options.settings ?? { smsNumber: "+15559990000", whatsappNumber: "whatsapp:+15559990001" },
    log,
    directory: async () => directory,
    templates: async () => DEFAULT_TEMPLATES,
    workerName: options.workerName,
    conversations: async () => conversations,
  };
  const byPath = new Map<string, Callback>(CALLBACKS.map((c) => [c.path, c]));
  const app: AdapterOptions = {
    route: (path) => byPath.get(path),
    token: options.token ?? staticToken(AUTH_TOKEN),
    publicBaseUrl: options.publicBaseUrl === null ? undefined : (options.publicBaseUrl ?? BASE_URL),
    defaultScheme: "https",
    deps,
  };
  return { app, conversations, log };
}

export interface EventOptions {
  path: string;
  params: Params;
  /** Token to sign with; null leaves the signature header out. */
  token?: string | null;
  /** URL to sign; defaults to BASE_URL + path. */
  signedUrl?: string;
  headers?: Record<string, string>;
  base64?: boolean;
  method?: string;
  rawQuery?: string;
}

/** A real API Gateway HTTP API (payload 2.0) event, signed like Twilio signs it. */
export function signedEvent(options: EventOptions): APIGatewayProxyEventV2 {
  const pairs = toPairs(options.params);
  const body = formBody(pairs);
  const query = options.rawQuery ? `?${options.rawQuery}` : "";
  const url = options.signedUrl ?? `${BASE_URL}${options.path}${query}`;
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
    host: "abc123.execute-api.us-east-1.amazonaws.com",
    "user-agent": "TwilioProxy/1.1",
    ...(options.token === null
      ? {}
      : { "x-twilio-signature": twilioSignature(options.token ?? AUTH_TOKEN, url, pairs) }),
    ...options.headers,
  };
  return {
    version: "2.0",
    routeKey: `POST ${options.path}`,
    rawPath: options.path,
    rawQueryString: options.rawQuery ?? "",
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: {
        method: options.method ?? "POST",
        path: options.path,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.9",
        userAgent: "TwilioProxy/1.1",
      },
      requestId: "req-1",
      routeKey: `POST ${options.path}`,
      stage: "$default",
      time: "25/Nov/2026:19:00:00 +0000",
      timeEpoch: 1795633200000,
    },
    body: options.base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: options.base64 ?? false,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  // Parsed JSON body (undefined for an empty body); tests inspect arbitrary shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function invoke(app: AdapterOptions, event: APIGatewayProxyEventV2): Promise<Answer> {
  const { handleRequest } = await import("../../lambda/http/adapter.js");
  const { fromApiGatewayEvent } = await import("../../lambda/http/apigateway.js");
  const response = await handleRequest(fromApiGatewayEvent(event), app);
  return {
    status: response.status,
    headers: response.headers,
    text: response.body,
    json: response.body ? JSON.parse(response.body) : undefined,
  };
}

/** Sign and send one callback through the adapter. */
export async function call(
  app: AdapterOptions,
  path: string,
  params: Params,
  extra: Omit<EventOptions, "path" | "params"> = {},
) {
  return invoke(app, signedEvent({ path, params, ...extra }));
}
