import { type AddressInfo, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { twilioApiUrl } from "../../lambda/twilio/api-url.js";
import { conversationsClient } from "../../lambda/twilio/conversations-client.js";
import { TwilioApiError, twilioRest } from "../../lambda/twilio/rest.js";
import { ACCOUNT_SID, AUTH_TOKEN, CONVERSATION_SID, SERVICE_SID } from "../support/fixtures.js";

type Step = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(steps: Step[]) {
  const requests: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({
      url,
      method: init.method!,
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    });
    const step = steps.shift() ?? { status: 500 };
    if (step instanceof Error) throw step;
    return new Response(step.body === undefined ? "" : JSON.stringify(step.body), {
      status: step.status,
      headers: step.headers,
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const sleeps: number[] = [];
const base = (fetch: typeof globalThis.fetch) => ({
  credentials: async () => ({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }),
  fetch,
  sleep: async (ms: number) => void sleeps.push(ms),
});

describe("Twilio REST calls from the callbacks", () => {
  it("sends Basic auth and a form body to the real host", async () => {
    const { fetch, requests } = scriptedFetch([{ status: 201, body: { sid: "MB1" } }]);
    const result = await twilioRest<{ sid: string }>(
      { method: "POST", url: "https://conversations.twilio.com/v1/X", form: { Identity: "a b" } },
      base(fetch),
    );
    expect(result.sid).toBe("MB1");
    expect(requests[0]!.url).toBe("https://conversations.twilio.com/v1/X");
    expect(requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`,
    );
    expect(requests[0]!.body).toBe("Identity=a+b");
  });

  it("goes to TWILIO_API_BASE_URL/<product>/<path> when set", async () => {
    const { fetch, requests } = scriptedFetch([{ status: 200, body: {} }]);
    await twilioRest(
      { method: "GET", url: "https://conversations.twilio.com/v1/Conversations/CH1/Participants" },
      { ...base(fetch), apiBaseUrl: "http://127.0.0.1:4010/" },
    );
    expect(requests[0]!.url).toBe("http://127.0.0.1:4010/conversations/v1/Conversations/CH1/Participants");
  });

  it("maps every Twilio product host, and refuses non-Twilio URLs", () => {
    expect(twilioApiUrl("https://api.twilio.com/2010-04-01/Accounts.json", "http://e")).toBe(
      "http://e/api/2010-04-01/Accounts.json",
    );
    expect(twilioApiUrl("https://frontline-api.twilio.com/v1/Users/x", "http://e")).toBe(
      "http://e/frontline-api/v1/Users/x",
    );
    expect(twilioApiUrl("https://conversations.twilio.com/v1/X", undefined)).toBe(
      "https://conversations.twilio.com/v1/X",
    );
    expect(() => twilioApiUrl("https://evil.example.com/v1", "http://e")).toThrow(/not a Twilio API URL/);
  });

  it("retries 429 after the Retry-After it was given", async () => {
    sleeps.length = 0;
    const { fetch, requests } = scriptedFetch([
      { status: 429, headers: { "retry-after": "1" }, body: { code: 20429 } },
      { status: 200, body: { ok: 1 } },
    ]);
    await twilioRest({ method: "GET", url: "https://conversations.twilio.com/v1/X" }, base(fetch));
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it("retries 5xx and network errors with growing backoff", async () => {
    sleeps.length = 0;
    const { fetch, requests } = scriptedFetch([
      { status: 503 },
      new TypeError("fetch failed"),
      { status: 500 },
      { status: 200, body: {} },
    ]);
    await twilioRest({ method: "GET", url: "https://conversations.twilio.com/v1/X" }, base(fetch));
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("gives up inside its budget and surfaces the last status and code", async () => {
    const { fetch } = scriptedFetch([
      { status: 503, headers: { "retry-after": "10" }, body: { code: 20503, message: "busy" } },
    ]);
    const error = await twilioRest(
      { method: "GET", url: "https://conversations.twilio.com/v1/X" },
      { ...base(fetch), budgetMs: 4000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 503, code: 20503, message: "busy" });
  });

  it("never runs past the callback's own deadline, even inside its budget", async () => {
    sleeps.length = 0;
    const { fetch, requests } = scriptedFetch([
      { status: 503, headers: { "retry-after": "1" } },
      { status: 200, body: {} },
    ]);
    const deadline = () => Date.now() + 500;
    await expect(
      twilioRest({ method: "GET", url: "https://conversations.twilio.com/v1/X" }, { ...base(fetch), deadline }),
    ).rejects.toMatchObject({ status: 503 });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("does not retry a 4xx", async () => {
    const { fetch, requests } = scriptedFetch([{ status: 404, body: { code: 20404, message: "not found" } }]);
    await expect(
      twilioRest({ method: "GET", url: "https://conversations.twilio.com/v1/X" }, base(fetch)),
    ).rejects.toMatchObject({ code: 20404 });
    expect(requests).toHaveLength(1);
  });
});

describe("Conversations port", () => {
  it("adds a worker with Identity, service-scoped when the service is known", async () => {
    const { fetch, requests } = scriptedFetch([{ status: 201, body: { sid: "MB" } }]);
    const port = conversationsClient({ ...base(fetch), serviceSid: SERVICE_SID });
    expect(await port.addWorker(CONVERSATION_SID, "alice@example.com")).toBe("added");
    expect(requests[0]!.url).toBe(
      `https://conversations.twilio.com/v1/Services/${SERVICE_SID}/Conversations/${CONVERSATION_SID}/Participants`,
    );
    expect(requests[0]!.body).toBe("Identity=alice%40example.com");
  });

  it("treats error 50433 (already a participant) as success", async () => {
    const { fetch } = scriptedFetch([{ status: 409, body: { code: 50433, message: "Participant already exists" } }]);
    expect(await conversationsClient(base(fetch)).addWorker(CONVERSATION_SID, "a")).toBe("already");
  });

  it("surfaces any other conflict", async () => {
    const { fetch } = scriptedFetch([{ status: 409, body: { code: 50416, message: "other" } }]);
    await expect(conversationsClient(base(fetch)).addWorker(CONVERSATION_SID, "a")).rejects.toMatchObject({
      code: 50416,
    });
  });

  it("updates participant attributes account-scoped without a service", async () => {
    const { fetch, requests } = scriptedFetch([{ status: 200, body: {} }]);
    await conversationsClient(base(fetch)).setParticipantAttributes(CONVERSATION_SID, "MB1", '{"a":1}');
    expect(requests[0]!.url).toBe(
      `https://conversations.twilio.com/v1/Conversations/${CONVERSATION_SID}/Participants/MB1`,
    );
    expect(new URLSearchParams(requests[0]!.body).get("Attributes")).toBe('{"a":1}');
  });
});

describe("a failed Twilio call says why", () => {
  const call = {
    method: "POST" as const,
    url: `https://conversations.twilio.com/v1/Conversations/${CONVERSATION_SID}/Participants`,
    form: { Identity: "a" },
  };
  const real = { credentials: async () => ({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }) };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable("the call succeeded"),
      (error: unknown) => error as TwilioApiError,
    );

  /** A loopback TCP server doing `onConnection` to every connection; closed after the test. */
  async function tcp(onConnection: (socket: Socket) => void) {
    const server = createServer(onConnection);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)), server };
  }

  it("refused: nothing listens at the address", async () => {
    const server = await tcp(() => {});
    await server.close();
    const error = await failure(twilioRest(call, { ...real, apiBaseUrl: server.base, budgetMs: 400 }));
    expect(error.logFields()).toMatchObject({ cause: "refused", errno: "ECONNREFUSED", twilioStatus: undefined });
    expect(error.details.attempts).toBeGreaterThanOrEqual(2);
    expect(error.message).toBe("Twilio API unreachable: refused (ECONNREFUSED)");
  });

  it("timeout: connected, but no answer inside the budget", async () => {
    const sockets: Socket[] = [];
    const server = await tcp((socket) => void sockets.push(socket));
    try {
      const error = await failure(twilioRest(call, { ...real, apiBaseUrl: server.base, budgetMs: 300 }));
      expect(error.logFields()).toMatchObject({ cause: "timeout", twilioMs: expect.any(Number) });
      expect(error.details.elapsedMs).toBeGreaterThanOrEqual(250);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.close();
    }
  });

  it("reset: the connection closes before an answer", async () => {
    const server = await tcp((socket) => socket.destroy());
    try {
      const error = await failure(twilioRest(call, { ...real, apiBaseUrl: server.base, budgetMs: 300 }));
      expect(error.logFields()).toMatchObject({ cause: "reset", errno: "UND_ERR_SOCKET" });
    } finally {
      await server.close();
    }
  });

  it("dns: the name does not resolve (as fetch reports it)", async () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND conversations.twilio.com"), { code: "ENOTFOUND" });
    const { fetch } = scriptedFetch([new TypeError("fetch failed", { cause: notFound })]);
    const error = await failure(twilioRest(call, { ...base(fetch), budgetMs: 0 }));
    expect(error.logFields()).toMatchObject({ cause: "dns", errno: "ENOTFOUND", attempts: 1 });
  });

  it("http: Twilio's status and error code, the request by ids, never Twilio's message or the token", async () => {
    const { fetch } = scriptedFetch([
      { status: 400, body: { code: 21211, message: "The 'To' number +15550000001 is not valid" } },
    ]);
    const error = await failure(twilioRest(call, base(fetch)));
    const fields = error.logFields();
    expect(fields).toEqual({
      cause: "http",
      twilioStatus: 400,
      twilioCode: 21211,
      errno: undefined,
      attempts: 1,
      twilioMs: expect.any(Number),
      twilioRequest: `POST conversations.twilio.com/v1/Conversations/${CONVERSATION_SID}/Participants`,
    });
    expect(JSON.stringify(fields)).not.toContain("+15550000001");
    expect(JSON.stringify(fields)).not.toContain(AUTH_TOKEN);
  });

  it("an error built without details still names a cause", () => {
    expect(new TwilioApiError(503, 20503, "busy").failureCause).toBe("http");
    expect(new TwilioApiError(0, undefined, "unreachable").failureCause).toBe("network");
  });
});
