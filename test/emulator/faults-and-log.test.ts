import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startTwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { CONV, call, emulatorPerTest, MSG } from "./client.js";

const start = emulatorPerTest();

describe("fault injection", () => {
  it("answers 429 with Retry-After and Twilio's 20429 body, then lets the retry through", async () => {
    const emu = await start();
    emu.injectFault({ path: "/conversations/v1/Configuration", status: 429, count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const r = await call(emu, "POST", `${CONV}/Configuration`, { DefaultClosedTimer: "PT10M" });
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("3");
      expect(r.body).toEqual({
        code: 20429,
        message: "Too Many Requests",
        more_info: "https://www.twilio.com/docs/errors/20429",
        status: 429,
      });
    }
    // Throttled requests are not processed, as Twilio documents.
    expect(emu.state().configuration.defaultClosedTimer).toBeNull();
    const ok = await call(emu, "POST", `${CONV}/Configuration`, { DefaultClosedTimer: "PT10M" });
    expect(ok.status).toBe(200);
    expect(ok.body.default_closed_timer).toBe("PT10M");
    expect(emu.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("answers 500 and 503 with Twilio-shaped bodies, matching by method and RegExp", async () => {
    const emu = await start();
    emu.injectFault({ method: "POST", path: /^\/messaging\/v1\/Services$/, status: 500 });
    emu.injectFault({ path: "/messaging", status: 503, code: 20503 });
    // The GET does not match the POST-only fault but does match the second one.
    const get = await call(emu, "GET", `${MSG}/Services`);
    expect(get.status).toBe(503);
    expect(get.body.code).toBe(20503);
    expect(get.headers.get("retry-after")).toBeNull();
    const post = await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" });
    expect(post.status).toBe(500);
    expect(post.body).toMatchObject({ code: 20500, status: 500 });
    expect(Object.keys(emu.state().messagingServices)).toHaveLength(0);
    expect((await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" })).status).toBe(201);
  });

  it("afterWrite: the write lands, then the client gets the 5xx (an answer lost after the write)", async () => {
    const emu = await start();
    emu.injectFault({ method: "POST", path: "/messaging/v1/Services", status: 500, afterWrite: true });
    const post = await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" });
    expect(post.status).toBe(500);
    expect(post.body).toMatchObject({ code: 20500 });
    expect(Object.values(emu.state().messagingServices).map((s) => s.friendlyName)).toEqual(["x"]);
    expect(emu.requests.map((r) => [r.status, r.landedStatus])).toEqual([[500, 201]]);
  });

  it("drop: closes the connection without an answer, after the write with afterWrite, before it without", async () => {
    const emu = await start();
    emu.injectFault({ method: "POST", path: /^\/messaging\/v1\/Services$/, drop: true, afterWrite: true });
    await expect(call(emu, "POST", `${MSG}/Services`, { FriendlyName: "landed" })).rejects.toThrow();
    emu.injectFault({ method: "POST", path: /^\/messaging\/v1\/Services$/, drop: true });
    await expect(call(emu, "POST", `${MSG}/Services`, { FriendlyName: "not landed" })).rejects.toThrow();
    expect(Object.values(emu.state().messagingServices).map((s) => s.friendlyName)).toEqual(["landed"]);
    expect(emu.requests.map((r) => [r.status, r.landedStatus])).toEqual([
      [0, 201],
      [0, undefined],
    ]);
    // The server keeps serving after a drop.
    expect((await call(emu, "GET", `${MSG}/Services`)).status).toBe(200);
  });

  it("refuses a fault without a status unless it drops", async () => {
    const emu = await start();
    expect(() => emu.injectFault({ path: "/messaging" })).toThrow(/status/);
    expect(() => emu.injectFault({ path: "/messaging", status: 200 })).toThrow(/status/);
  });

  it("does not spend a fault on a request that fails validation", async () => {
    const emu = await start();
    emu.injectFault({ path: "/messaging/v1/Services", status: 500 });
    expect((await call(emu, "POST", `${MSG}/Services`, { FriendlyNme: "x" })).status).toBe(400);
    expect((await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" })).status).toBe(500);
    emu.injectFault({ path: "/messaging", status: 500 });
    emu.clearFaults();
    expect((await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" })).status).toBe(201);
  });
});

describe("request log", () => {
  it("records valid requests with the real host, path, query and form (arrays for repeated keys)", async () => {
    const emu = await start();
    const is = emu.addConversationService("Frontline Service");
    await call(emu, "POST", `${CONV}/Services/${is}/Configuration/Webhooks`, {
      Filters: ["onConversationAdd", "onParticipantAdded"],
      Method: "POST",
    });
    await call(emu, "GET", `${CONV}/Configuration/Addresses?Type=sms`);
    expect(emu.requests).toEqual([
      {
        method: "POST",
        host: "conversations.twilio.com",
        path: `/v1/Services/${is}/Configuration/Webhooks`,
        query: {},
        form: { Filters: ["onConversationAdd", "onParticipantAdded"], Method: "POST" },
        status: 200,
      },
      {
        method: "GET",
        host: "conversations.twilio.com",
        path: "/v1/Configuration/Addresses",
        query: { Type: "sms" },
        form: {},
        status: 200,
      },
    ]);
    expect(emu.writeCount()).toBe(1);
    expect(emu.writeCount({ host: "messaging.twilio.com" })).toBe(0);
    expect(emu.requestsMatching({ path: "/v1/Configuration" })).toHaveLength(1);
    emu.clearRequests();
    expect(emu.requests).toHaveLength(0);
  });

  it("appends one JSON line per request to the log file, from the option or TWILIO_EMULATOR_LOG", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twilio-emulator-"));
    try {
      const file = join(dir, "requests.jsonl");
      const emu = await start({ logFile: file });
      await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "Frontline senders" });
      await call(emu, "POST", `${MSG}/Services`, { Nope: "x" }); // invalid: in the file with its violations only
      await call(emu, "GET", `${MSG}/Services?PageSize=5`);
      const lines = readFileSync(file, "utf8").trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toBe(
        '{"method":"POST","host":"messaging.twilio.com","path":"/v1/Services","query":{},"form":{"FriendlyName":"Frontline senders"},"status":201}',
      );
      expect(JSON.parse(lines[1]!)).toMatchObject({
        form: { Nope: "x" },
        status: 400,
        violations: expect.arrayContaining(["Unknown parameter Nope in the post body"]),
      });
      expect(JSON.parse(lines[2]!)).toMatchObject({ method: "GET", query: { PageSize: "5" } });
      expect(emu.requests.map((r) => r.status)).toEqual([201, 200]);

      const fromEnv = join(dir, "env.jsonl");
      process.env["TWILIO_EMULATOR_LOG"] = fromEnv;
      try {
        const emu2 = await startTwilioEmulator();
        await call(emu2, "GET", `${CONV}/Configuration`);
        await emu2.close();
      } finally {
        delete process.env["TWILIO_EMULATOR_LOG"];
      }
      expect(readFileSync(fromEnv, "utf8")).toContain('"path":"/v1/Configuration"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
