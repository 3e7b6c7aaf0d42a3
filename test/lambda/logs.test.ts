import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { crm } from "../../lambda/handlers/crm.js";
import { routing } from "../../lambda/handlers/routing.js";
import { signedEvent } from "../support/callbacks.js";
import { PUBLIC_BASE_URL as BASE, type LambdaRuntimeWorld, startLambdaRuntime } from "../support/lambda-runtime.js";

let world: LambdaRuntimeWorld;
let emulator: LambdaRuntimeWorld["emulator"];
let env: Record<string, string>;
let closedPort: number;

beforeAll(async () => {
  world = await startLambdaRuntime("logs");
  ({ emulator, env } = world);
  // A port nothing listens on: connections to it are refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => world?.close());
afterEach(() => vi.restoreAllMocks());

type Line = Record<string, unknown>;

/** Runs `body` and returns the JSON lines the functions wrote to stdout meanwhile. */
async function captureLines(body: () => Promise<unknown>): Promise<{ lines: Line[]; raw: string }> {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (text.startsWith("{")) {
      chunks.push(text);
      return true;
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  await body();
  vi.restoreAllMocks();
  const raw = chunks.join("");
  return {
    raw,
    lines: raw
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line),
  };
}

const event = (path: string, params: Record<string, string>, requestId: string) => {
  const e = signedEvent({ path, params, token: emulator.authToken, signedUrl: `${BASE}${path}` });
  return { ...e, requestContext: { ...e.requestContext, requestId } };
};
const context = (awsRequestId: string, remainingMs = 5000) => ({
  awsRequestId,
  getRemainingTimeInMillis: () => remainingMs,
});

describe("Lambda log lines", () => {
  it("carry both request ids, the callback and coldStart on every line; the last adds status and duration", async () => {
    // A fresh module: this process has served no invocation yet.
    vi.resetModules();
    const { lambdaHandler } = await import("../../lambda/runtime/lambda-app.js");
    const handler = lambdaHandler(routing, { ...env, TWILIO_API_BASE_URL: `http://127.0.0.1:${closedPort}` });
    const conversationSid = emulator.addConversation();
    const params = { ConversationSid: conversationSid, "MessagingBinding.Address": "+15550000003" };
    const first = await captureLines(() =>
      handler(event("/callbacks/routing", params, "api-1"), context("aws-1", 1600)),
    );
    const second = await captureLines(() =>
      handler(event("/callbacks/routing", params, "api-2"), context("aws-2", 1600)),
    );

    expect(first.lines.map((l) => l.message)).toEqual(["Twilio API call failed", "answered"]);
    for (const line of first.lines) {
      expect(line).toMatchObject({
        apiRequestId: "api-1",
        awsRequestId: "aws-1",
        callback: "routing",
        coldStart: true,
      });
    }
    for (const line of second.lines) {
      expect(line).toMatchObject({
        apiRequestId: "api-2",
        awsRequestId: "aws-2",
        callback: "routing",
        coldStart: false,
      });
    }
    expect(first.lines.at(-1)).toMatchObject({ level: "error", status: 502, durationMs: expect.any(Number) });
    // The cause an operator can act on, instead of status 0.
    expect(first.lines[0]).toMatchObject({
      level: "error",
      cause: "refused",
      errno: "ECONNREFUSED",
      attempts: expect.any(Number),
      twilioRequest: `POST conversations.twilio.com/v1/Conversations/${conversationSid}/Participants`,
    });
    expect(first.lines[0]!.twilioStatus).toBeUndefined();
    // No customer data beyond ids (the customer's number, the worker's identity), never the token.
    for (const raw of [first.raw, second.raw]) {
      expect(raw).not.toContain(emulator.authToken);
      expect(raw).not.toContain("+15550000003");
      expect(raw).not.toContain("bob@example.com");
    }
  });

  it("log Twilio's HTTP status and error code when Twilio refuses a call", async () => {
    const { lambdaHandler } = await import("../../lambda/runtime/lambda-app.js");
    const missing = `CH${"9".repeat(32)}`;
    const { lines } = await captureLines(() =>
      lambdaHandler(routing, env)(
        event("/callbacks/routing", { ConversationSid: missing, "MessagingBinding.Address": "+15550000003" }, "api-3"),
        context("aws-3"),
      ),
    );
    expect(lines[0]).toMatchObject({
      message: "Twilio API call failed",
      cause: "http",
      twilioStatus: 404,
      twilioCode: 20404,
      attempts: 1,
    });
    expect(lines.at(-1)).toMatchObject({
      message: "answered",
      status: 502,
      apiRequestId: "api-3",
      awsRequestId: "aws-3",
    });
  });

  it("end a successful invocation with one info line, and a misconfigured one with the ids too", async () => {
    const { lambdaHandler } = await import("../../lambda/runtime/lambda-app.js");
    const ok = await captureLines(() =>
      lambdaHandler(crm, env)(
        event("/callbacks/crm", { Location: "GetCustomersList", Worker: "alice@example.com" }, "api-4"),
        context("aws-4"),
      ),
    );
    expect(ok.lines).toEqual([
      expect.objectContaining({
        level: "info",
        message: "answered",
        status: 200,
        callback: "crm",
        apiRequestId: "api-4",
        awsRequestId: "aws-4",
      }),
    ]);
    expect(ok.raw).not.toContain("Ann Smith");
    const broken = await captureLines(() =>
      lambdaHandler(crm, {})(
        event("/callbacks/crm", { Location: "GetCustomersList", Worker: "a" }, "api-5"),
        context("aws-5"),
      ),
    );
    expect(broken.lines.map((l) => [l.message, l.apiRequestId, l.awsRequestId])).toEqual([
      ["function is misconfigured", "api-5", "aws-5"],
      ["answered", "api-5", "aws-5"],
    ]);
  });
});
