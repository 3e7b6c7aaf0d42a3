import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLocalApp } from "../../dev/local-app.js";
import { createCallbackServer } from "../../dev/server.js";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { CALLBACKS } from "../../lambda/handlers/index.js";
import { type AdapterOptions, handleRequest } from "../../lambda/http/adapter.js";
import { formatTable } from "../../scripts/smoke/report.js";
import { CALLBACK_PATHS, type CheckResult, type Limits, runSmoke, type SmokeReport } from "../../scripts/smoke/run.js";
import { main } from "../../scripts/smoke.js";
import { customers, SERVICE_SID } from "../support/fixtures.js";
import { twilioSignature } from "../support/sign.js";

const ROOT = join(__dirname, "../..");
const quiet = { info() {}, warn() {}, error() {} };
const dir = mkdtempSync(join(tmpdir(), "frontline-smoke-"));
const customersFile = join(dir, "customers.json");
// A worker with more customers than one page holds, for the paging check.
const many = Array.from({ length: 35 }, (_, i) => ({
  customer_id: `m${String(i).padStart(2, "0")}`,
  display_name: `Many Customer ${i}`,
  worker: "many@example.com",
  channels: [{ type: "sms", value: `+1555000${String(1000 + i)}` }],
}));
writeFileSync(customersFile, JSON.stringify([...customers, ...many]));

let emulator: TwilioEmulator;
let app: AdapterOptions;
let real: Server;
let realUrl: string;

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

beforeAll(async () => {
  emulator = await startTwilioEmulator();
  // DEFAULT_WORKER set: a routing request that got past validation would add a participant on the emulator.
  app = createLocalApp(
    {
      TWILIO_ACCOUNT_SID: emulator.accountSid,
      TWILIO_AUTH_TOKEN: emulator.authToken,
      CUSTOMERS_FILE: customersFile,
      TWILIO_SMS_NUMBER: "+15559990000",
      DEFAULT_WORKER: "desk@example.com",
      TWILIO_API_BASE_URL: emulator.baseUrl,
      CONVERSATIONS_SERVICE_SID: SERVICE_SID,
    },
    quiet,
  );
  real = createCallbackServer(app);
  realUrl = await listen(real);
});
afterAll(async () => {
  await close(real);
  await emulator?.close();
});
beforeEach(() => emulator.clearRequests());

const smoke = (baseUrl: string, limits?: Partial<Limits>, worker = "alice@example.com") =>
  runSmoke({ baseUrl, authToken: emulator.authToken, worker, limits });
const failed = (report: SmokeReport) =>
  report.checks.filter((c) => c.outcome === "fail").map((c) => `${c.callback} ${c.check}`);
const row = (report: SmokeReport, callback: string, check: string): CheckResult => {
  const found = report.checks.find((c) => c.callback === callback && c.check === check);
  if (!found) throw new Error(`no check ${callback} ${check}`);
  return found;
};

interface Seen {
  path: string;
  params: URLSearchParams;
  signature: string | undefined;
  url: string;
}
/** What a broken server does instead of the real one; undefined hands the request to the real adapter. */
type Fault = (
  seen: Seen,
) => Promise<{ status: number; body: unknown } | { forward: Record<string, string> } | undefined>;

/** The real callbacks behind a fault: a server broken in exactly one way. */
async function brokenServer(fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? "";
    const headers = { ...(req.headers as Record<string, string | undefined>) };
    const seen = {
      path,
      params: new URLSearchParams(body.toString()),
      signature: headers["x-twilio-signature"],
      url: `http://${req.headers.host}${path}`,
    };
    const override = await fault(seen);
    if (override && "status" in override) {
      res.writeHead(override.status, { "content-type": "application/json" }).end(JSON.stringify(override.body));
      return;
    }
    const answer = await handleRequest(
      { method: req.method ?? "", path, rawQuery: "", headers: { ...headers, ...override?.forward }, body },
      app,
    );
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  const url = await listen(server);
  return { url, close: () => close(server) };
}

async function against(fault: Fault, limits?: Partial<Limits>): Promise<SmokeReport> {
  const server = await brokenServer(fault);
  try {
    return await smoke(server.url, limits);
  } finally {
    await server.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const signedBy = (seen: Seen) => ({
  // Signed independently of the smoke test's own signer, which is under test here.
  "x-twilio-signature": twilioSignature(emulator.authToken, seen.url, [...seen.params.entries()]),
});

describe("npm run smoke against the real callback service", () => {
  it("passes every check, and writes nothing to Twilio", async () => {
    const report = await smoke(realUrl);
    expect(failed(report)).toEqual([]);
    expect(report.passed).toBe(true);
    // Five callbacks answered, plus the gate of each: unsigned and wrong signature.
    expect(new Set(report.checks.map((c) => c.callback))).toEqual(new Set(Object.keys(CALLBACK_PATHS)));
    expect(report.checks.filter((c) => c.check === "unsigned")).toHaveLength(5);
    expect(report.checks.filter((c) => c.check === "wrong signature")).toHaveLength(5);
    expect(row(report, "crm", "GetCustomerDetailsByCustomerId").status).toBe(200);
    expect(row(report, "templates", "GetTemplatesByCustomerId").status).toBe(200);
    expect(report.checks.filter((c) => c.readOnlySubstitute).map((c) => c.callback)).toEqual([
      "routing",
      "twilio-conversations",
    ]);
    // Nothing that could change Twilio; the only reads are the {{Author}} name from Frontline's Users API.
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(
      emulator.requests.filter((r) => !(r.host === "frontline-api.twilio.com" && r.path.startsWith("/v1/Users/"))),
    ).toEqual([]);
  });

  it("follows the first page's token to a second page that starts after it", async () => {
    const report = await smoke(realUrl, undefined, "many@example.com");
    expect(failed(report)).toEqual([]);
    expect(row(report, "crm", "GetCustomersList (NextPageToken)")).toMatchObject({ outcome: "pass", status: 200 });
    // Three customers fit on one page: no token, no paging check.
    expect((await smoke(realUrl)).checks.some((c) => c.check === "GetCustomersList (NextPageToken)")).toBe(false);
  });

  it("uses the routes the service serves", () => {
    expect(Object.values(CALLBACK_PATHS).sort()).toEqual(CALLBACKS.map((c) => c.path).sort());
  });

  it("warns, but passes, for a worker without customers, checking the unknown-customer answers instead", async () => {
    const report = await smoke(realUrl, undefined, "nobody@example.com");
    expect(report.passed).toBe(true);
    expect(row(report, "crm", "GetCustomersList")).toMatchObject({
      outcome: "warn",
      detail: expect.stringMatching(/has no customers/),
    });
    expect(row(report, "crm", "GetCustomerDetailsByCustomerId (unknown id)")).toMatchObject({
      outcome: "pass",
      status: 404,
    });
    expect(row(report, "templates", "GetTemplatesByCustomerId (unknown id)")).toMatchObject({
      outcome: "pass",
      status: 404,
    });
    // Nothing that could change Twilio; the only reads are the {{Author}} name from Frontline's Users API.
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(
      emulator.requests.filter((r) => !(r.host === "frontline-api.twilio.com" && r.path.startsWith("/v1/Users/"))),
    ).toEqual([]);
  });

  it("fails every signed check with a hint when the token is not the service's", async () => {
    const report = await runSmoke({ baseUrl: realUrl, authToken: "not-the-token", worker: "alice@example.com" });
    expect(report.passed).toBe(false);
    expect(row(report, "crm", "GetCustomersList").detail).toMatch(/got 403.*TWILIO_AUTH_TOKEN/);
  });
});

describe("npm run smoke against broken servers", () => {
  it("fails when a callback answers 500", async () => {
    const report = await against(async (seen) =>
      seen.path === "/callbacks/templates" && seen.signature
        ? { status: 500, body: { error: "internal error" } }
        : undefined,
    );
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual(["templates GetTemplatesByCustomerId", "templates wrong signature"]);
    expect(row(report, "templates", "GetTemplatesByCustomerId").detail).toBe("expected 200, got 500: internal error");
  });

  it("fails on a wrong answer shape", async () => {
    const report = await against(async (seen) =>
      seen.params.get("Location") === "GetCustomersList" && seen.signature && !seen.params.has("Query")
        ? { status: 200, body: { customers: [{ customer_id: "1", display_name: "Ann Smith" }] } }
        : undefined,
    );
    expect(report.passed).toBe(false);
    expect(row(report, "crm", "GetCustomersList")).toMatchObject({
      outcome: "fail",
      detail: "expected {objects: {customers: [...]}}",
    });
  });

  it("fails when a page token leads back to the first page", async () => {
    const server = await brokenServer(async (seen) =>
      seen.params.has("NextPageToken") && seen.signature
        ? {
            status: 200,
            body: {
              objects: { customers: [{ customer_id: "m00", display_name: "Many Customer 0" }], searchable: true },
            },
          }
        : undefined,
    );
    try {
      const report = await smoke(server.url, undefined, "many@example.com");
      expect(failed(report)).toEqual(["crm GetCustomersList (NextPageToken)"]);
      expect(row(report, "crm", "GetCustomersList (NextPageToken)").detail).toBe(
        "the next page repeats customers of the first",
      );
    } finally {
      await server.close();
    }
  });

  it("fails on a template with a placeholder left in", async () => {
    const report = await against(async (seen) =>
      seen.path === "/callbacks/templates" && seen.signature
        ? { status: 200, body: [{ display_name: "Openers", templates: [{ content: "Hi {{FirstName}}" }] }] }
        : undefined,
    );
    expect(row(report, "templates", "GetTemplatesByCustomerId")).toMatchObject({
      outcome: "fail",
      detail: expect.stringMatching(/placeholder/),
    });
  });

  it("fails when a missing signature is accepted, on every callback", async () => {
    // The gate is broken: an unsigned request is handled as if it had been signed.
    const report = await against(async (seen) => (seen.signature ? undefined : { forward: signedBy(seen) }));
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      "crm unsigned",
      "outgoing-conversation unsigned",
      "templates unsigned",
      "routing unsigned",
      "twilio-conversations unsigned",
    ]);
    // Past a broken gate, routing's probe reaches Twilio with a SID of no conversation: Twilio refuses it.
    expect(row(report, "routing", "unsigned").status).toBe(502);
  });

  it("fails when a wrong signature is accepted", async () => {
    const report = await against(async (seen) => (seen.signature ? { forward: signedBy(seen) } : undefined));
    expect(failed(report)).toEqual([
      "crm wrong signature",
      "outgoing-conversation wrong signature",
      "templates wrong signature",
      "routing wrong signature",
      "twilio-conversations wrong signature",
    ]);
  });

  it("fails a Frontline callback slower than its limit, without waiting for the answer", async () => {
    const started = Date.now();
    const report = await against(async (seen) => void (seen.path === "/callbacks/crm" && (await sleep(3000))), {
      warnMs: 2000,
      frontlineMs: 600,
      conversationsMs: 600,
    });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(failed(report)).toEqual([
      "crm GetCustomersList",
      "crm GetCustomerDetailsByCustomerId (unknown id)",
      "crm unsigned",
      "crm wrong signature",
    ]);
    expect(row(report, "crm", "GetCustomersList").detail).toBe("no answer within 600 ms, the caller's limit");
  });

  it("holds the Conversations webhook to its own, shorter limit", async () => {
    // 800 ms: inside the Frontline limit, over the Conversations one.
    const report = await against(
      async (seen) => void (seen.path === "/callbacks/twilio-conversations" && (await sleep(800))),
      {
        warnMs: 3000,
        frontlineMs: 1500,
        conversationsMs: 400,
      },
    );
    expect(failed(report)).toEqual([
      "twilio-conversations onConversationAdd",
      "twilio-conversations onParticipantAdded (already stamped)",
      "twilio-conversations unsigned",
      "twilio-conversations wrong signature",
    ]);
  });

  it("warns, and still passes, above the warning threshold", async () => {
    const report = await against(
      async (seen) => void (seen.path === "/callbacks/outgoing-conversation" && (await sleep(500))),
      {
        warnMs: 250,
        frontlineMs: 5000,
      },
    );
    expect(report.passed).toBe(true);
    expect(row(report, "outgoing-conversation", "GetProxyAddress (sms)")).toMatchObject({
      outcome: "warn",
      detail: expect.stringMatching(/^slow: \d+ ms/),
    });
  });

  it("fails when the customer's own address is not found by the Conversations webhook", async () => {
    const report = await against(async (seen) =>
      seen.params.get("EventType") === "onConversationAdd" && seen.signature
        ? { status: 200, body: { friendly_name: seen.params.get("MessagingBinding.Address"), attributes: "{}" } }
        : undefined,
    );
    expect(row(report, "twilio-conversations", "onConversationAdd")).toMatchObject({
      outcome: "fail",
      detail: expect.stringMatching(/not found/),
    });
  });

  it("fails when nothing listens", async () => {
    const server = await brokenServer(async () => undefined);
    await server.close();
    const report = await smoke(server.url);
    expect(report.passed).toBe(false);
    expect(report.checks.every((c) => c.outcome === "fail" && /ECONNREFUSED/.test(c.detail))).toBe(true);
  });
});

describe("the smoke command line", () => {
  const io = (env: Record<string, string | undefined>, limits?: Partial<Limits>) => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) }, env, limits },
    };
  };

  it("prints a table and exits 0 when everything passes", async () => {
    const run = io({ TWILIO_AUTH_TOKEN: emulator.authToken });
    expect(await main(["--url", `${realUrl}/`], run.io)).toBe(0);
    const text = run.out.join("");
    expect(text).toMatch(/^callback\s+check\s+expect\s+got\s+ms\s+result$/m);
    expect(text).toMatch(/^routing\s+routing \(malformed ConversationSid\) \*\s+400\s+400\s+\d+\s+PASS$/m);
    expect(text).toMatch(/18 checks: 18 passed, 0 passed with a warning, 0 failed\. PASS\n$/);
    expect(run.err).toEqual([]);
  });

  it("prints JSON with --json and exits 1 when a check fails", async () => {
    const server = await brokenServer(async (seen) =>
      seen.path === "/callbacks/routing" ? { status: 500, body: {} } : undefined,
    );
    try {
      const run = io({ TWILIO_AUTH_TOKEN: emulator.authToken });
      expect(await main(["--url", server.url, "--json", "--worker", "bob@example.com"], run.io)).toBe(1);
      const report = JSON.parse(run.out.join("")) as SmokeReport;
      expect(report).toMatchObject({ passed: false, worker: "bob@example.com", url: server.url });
      expect(failed(report)).toEqual([
        "routing routing (malformed ConversationSid)",
        "routing unsigned",
        "routing wrong signature",
      ]);
    } finally {
      await server.close();
    }
  });

  it.each([
    [["--url", "http://127.0.0.1:1"], {}, /^smoke: TWILIO_AUTH_TOKEN is not set/],
    [[], { TWILIO_AUTH_TOKEN: "t" }, /^smoke: --url is required/],
    [["--url", "http://x", "--verbose"], { TWILIO_AUTH_TOKEN: "t" }, /^smoke: Unknown option '--verbose'/],
    [["--url", "ftp://x"], { TWILIO_AUTH_TOKEN: "t" }, /^smoke: --url must start with https:\/\/ or http:\/\//],
    [["--url", "not a url"], { TWILIO_AUTH_TOKEN: "t" }, /^smoke: --url not a url is not a URL/],
  ])("refuses %j with one usage line and exit 2", async (argv, env, message) => {
    const run = io(env);
    expect(await main(argv, run.io)).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.err.join("")).toMatch(message);
    expect(run.err.join("").trimEnd().split("\n")).toHaveLength(1);
  });

  it("never prints the token", async () => {
    const run = io({ TWILIO_AUTH_TOKEN: emulator.authToken });
    await main(["--url", realUrl, "--json"], run.io);
    const table = formatTable(JSON.parse(run.out.join("")));
    expect(run.out.join("") + table).not.toContain(emulator.authToken);
  });

  it("runs as `npm run smoke -- --url <base>`", async () => {
    const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "npm",
        ["run", "--silent", "smoke", "--", "--url", realUrl],
        { cwd: ROOT, env: { ...process.env, TWILIO_AUTH_TOKEN: emulator.authToken }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(child.stderr).toBe("");
    expect(child.stdout).toMatch(/PASS\n$/);
    expect(child.code).toBe(0);
  }, 60_000);
});
