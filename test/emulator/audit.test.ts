import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog } from "../../dev/twilio-emulator/audit.js";
import { CONV, call, emulatorPerTest, MSG } from "./client.js";

const start = emulatorPerTest();
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("request log audit", () => {
  it("counts valid requests, and finds the ones the spec refused or never had", async () => {
    dir = mkdtempSync(join(tmpdir(), "twilio-audit-"));
    const file = join(dir, "log.jsonl");
    const emu = await start({ logFile: file });
    const ig = emu.addAddressConfiguration({
      type: "whatsapp",
      address: "whatsapp:+15551230001",
      autoCreation: { enabled: true, type: "default" },
    });
    expect((await call(emu, "POST", `${MSG}/Services`, { FriendlyName: "x" })).status).toBe(201);
    expect((await call(emu, "POST", `${CONV}/Configuration/Addresses/${ig}`, { "AutoCreation.Type": "" })).status).toBe(
      400,
    );
    expect((await call(emu, "GET", `${CONV}/Nowhere`)).status).toBe(404);
    const result = auditLog(readFileSync(file, "utf8"));
    expect(result).toMatchObject({ requests: 3, writes: 2 });
    expect(result.violations.map((v) => [v.line, v.request])).toEqual([
      [2, `POST https://conversations.twilio.com/v1/Configuration/Addresses/${ig}`],
      [3, "GET https://conversations.twilio.com/v1/Nowhere"],
    ]);
    expect(result.violations[0]!.problems.join()).toMatch(/AutoCreation\.Type: an empty value is not allowed/);
  });

  it("checks each logged request again from the line alone", () => {
    const line = (form: Record<string, string>) =>
      JSON.stringify({
        method: "POST",
        host: "messaging.twilio.com",
        path: "/v1/Services",
        query: {},
        form,
        status: 201,
      });
    const result = auditLog([line({ FriendlyName: "ok" }), line({ FriendlyNme: "typo" })].join("\n"));
    expect(result.requests).toBe(2);
    expect(result.violations).toEqual([
      {
        line: 2,
        request: "POST https://messaging.twilio.com/v1/Services",
        problems: [
          "Missing required parameter FriendlyName in the post body",
          "Unknown parameter FriendlyNme in the post body",
        ],
      },
    ]);
  });
});
