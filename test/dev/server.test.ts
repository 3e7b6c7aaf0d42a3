import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalApp } from "../../dev/local-app.js";
import { createCallbackServer } from "../../dev/server.js";
import { ACCOUNT_SID, AUTH_TOKEN, customers } from "../support/fixtures.js";
import { formBody, twilioSignature } from "../support/sign.js";

const dir = mkdtempSync(join(tmpdir(), "frontline-dev-"));
const customersFile = join(dir, "customers.json");
writeFileSync(customersFile, JSON.stringify(customers));
const customer = { customer_id: "1", display_name: "Ann Smith", worker: "alice@example.com" };
const badChannelFile = join(dir, "bad-channel.json");
writeFileSync(badChannelFile, JSON.stringify([{ ...customer, channels: [{ type: "sms", value: "555 0100" }] }]));
const badWhatsAppFile = join(dir, "bad-whatsapp.json");
writeFileSync(
  badWhatsAppFile,
  JSON.stringify([
    {
      ...customer,
      channels: [
        { type: "sms", value: "+15550100001" },
        { type: "whatsapp", value: "+15550100001" },
      ],
    },
  ]),
);
const env = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  CUSTOMERS_FILE: customersFile,
  TWILIO_SMS_NUMBER: "+15559990000",
};

function post(port: number, path: string, body: string | Buffer, headers: Record<string, string | number> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("local server", () => {
  const server = createCallbackServer(createLocalApp(env, { info() {}, warn() {}, error() {} }));
  let port = 0;
  beforeAll(
    () =>
      new Promise<void>((resolve) =>
        server.listen(0, "127.0.0.1", () => {
          port = (server.address() as AddressInfo).port;
          resolve();
        }),
      ),
  );
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const signed = (path: string, params: Record<string, string>) => {
    const pairs = Object.entries(params);
    const url = `http://127.0.0.1:${port}${path}`;
    return post(port, path, formBody(pairs), {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(AUTH_TOKEN, url, pairs),
    });
  };

  it("serves a signed GetCustomersList from the customers file, verifying http://Host + path", async () => {
    const answer = await signed("/callbacks/crm", {
      Location: "GetCustomersList",
      Worker: "alice@example.com",
      PageSize: "30",
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).objects.customers).toHaveLength(3);
  });

  it("serves every callback path", async () => {
    const answer = await signed("/callbacks/outgoing-conversation", {
      Location: "GetProxyAddress",
      ChannelType: "sms",
    });
    expect(JSON.parse(answer.body)).toEqual({ proxy_address: "+15559990000" });
    expect((await signed("/callbacks/twilio-conversations", { EventType: "onMessageAdded" })).status).toBe(200);
  });

  it("answers 404 for other paths", async () => {
    expect((await signed("/", { Location: "GetCustomersList" })).status).toBe(404);
  });

  it("refuses a declared oversized body with 413 without reading it", async () => {
    const answer = await post(port, "/callbacks/crm", "", {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": 10 * 1024 * 1024,
    });
    expect(answer.status).toBe(413);
  });

  it("counts streamed (chunked) bytes and stops at 64 KiB", async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/callbacks/crm",
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      const chunk = Buffer.alloc(16 * 1024, "a");
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(answer).toBe(413);
  });
});

describe("npm start", () => {
  beforeAll(async () => {
    const { buildDevServer } = await import("../../scripts/lambda-bundles.cjs");
    await buildDevServer();
  });

  function start(extraEnv: Record<string, string>, cwd = process.cwd()) {
    const child = spawn(process.execPath, [join(process.cwd(), "dist/dev/server.mjs")], {
      cwd,
      env: { PATH: process.env.PATH ?? "", PORT: "0", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    return { child, output: () => out };
  }

  it.each(["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])(
    "stops with a message naming %s when it is missing",
    async (missing) => {
      const rest = Object.fromEntries(
        Object.entries({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN }).filter(
          ([k]) => k !== missing,
        ),
      );
      const { child, output } = start(rest);
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(1);
      expect(output()).toContain(missing);
      expect(output()).not.toMatch(/\n\s+at /);
    },
  );

  const exitOf = async (extraEnv: Record<string, string>) => {
    const { child, output } = start({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, ...extraEnv });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { code, output: output() };
  };

  it.each([
    [{ PORT: "abc" }, /PORT must be a port number/],
    [{ TEMPLATES_FILE: join(dir, "missing.json") }, /TEMPLATES_FILE .*missing\.json cannot be read/],
    [{ CUSTOMERS_FILE: join(dir, "missing.json") }, /missing\.json/],
    [{ TWILIO_SMS_NUMBER: "555-1234" }, /TWILIO_SMS_NUMBER/],
    [{ PUBLIC_BASE_URL: "ftp://tunnel.example.net" }, /PUBLIC_BASE_URL must be http\(s\), not ftp/],
    [{ PUBLIC_BASE_URL: "https://tunnel.example.net/callbacks" }, /PUBLIC_BASE_URL must be an origin without a path/],
    [
      { CONVERSATIONS_SERVICE_SID: "IS0123" },
      /CONVERSATIONS_SERVICE_SID must be IS followed by 32 hex characters: copy it/,
    ],
    [{ TWILIO_AUTH_TOKEN: "your_auth_token" }, /TWILIO_AUTH_TOKEN is still the placeholder from \.env\.example/],
    [
      { CUSTOMERS_FILE: badChannelFile },
      /customer at index 0: channels\[0\]\.value must be an E\.164 number such as \+15551230001 \(channel type sms\)/,
    ],
    [{ CUSTOMERS_FILE: badWhatsAppFile }, /channels\[1\]\.value must be whatsapp:\+E164 .*\(channel type whatsapp\)/],
  ])("stops with one line naming the setting for %j", async (extraEnv, message) => {
    const { code, output } = await exitOf(extraEnv);
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output.trim().split("\n")).toHaveLength(1);
  });

  it("names a templates file that is not JSON", async () => {
    const bad = join(dir, "bad-templates.json");
    writeFileSync(bad, "{ nope");
    const { code, output } = await exitOf({ TEMPLATES_FILE: bad });
    expect(code).toBe(1);
    expect(output).toContain(`TEMPLATES_FILE ${bad} is not valid JSON`);
  });

  it("says the port is in use instead of crashing", async () => {
    const busy = createCallbackServer(createLocalApp(env, { info() {}, warn() {}, error() {} }));
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const { code, output } = await exitOf({ PORT: String((busy.address() as AddressInfo).port) });
      expect(code).toBe(1);
      expect(output).toMatch(/is in use; set PORT/);
    } finally {
      busy.close();
    }
  });

  it("reads .env from the working directory when there is one", async () => {
    const project = mkdtempSync(join(tmpdir(), "frontline-env-"));
    writeFileSync(
      join(project, ".env"),
      `TWILIO_ACCOUNT_SID=${ACCOUNT_SID}\nTWILIO_AUTH_TOKEN=${AUTH_TOKEN}\nPUBLIC_BASE_URL=https://tunnel.example.net\n`,
    );
    const { child, output } = start({}, project);
    try {
      await expect.poll(output, { timeout: 10_000 }).toContain("https://tunnel.example.net/callbacks/crm");
    } finally {
      child.kill();
    }
  });

  it("starts with only the two required variables and prints the callback URLs", async () => {
    const { child, output } = start({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    try {
      await expect.poll(output, { timeout: 10_000 }).toContain("/callbacks/twilio-conversations");
      for (const path of ["crm", "outgoing-conversation", "templates", "routing"])
        expect(output()).toContain(`/callbacks/${path}`);
      expect(output()).not.toContain(AUTH_TOKEN);
    } finally {
      child.kill();
    }
  });
});
