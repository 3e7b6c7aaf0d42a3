import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkLocalSettings, checkPublicBaseUrl, PLACEHOLDER_AUTH_TOKEN } from "../../dev/start-checks.js";
import { ConfigError } from "../../lambda/runtime/env.js";

describe("npm start settings", () => {
  it.each([
    "https://abc123.ngrok.app",
    "https://abc123.ngrok.app/",
    "http://127.0.0.1:3000",
    "https://tunnel.example.net:8443",
  ])("accepts the origin %s", (url) => expect(() => checkPublicBaseUrl(url)).not.toThrow());

  it.each([
    ["ftp://tunnel.example.net", /PUBLIC_BASE_URL must be http\(s\), not ftp: set it to your tunnel's origin/],
    ["ws://tunnel.example.net", /not ws:/],
    ["tunnel.example.net", /PUBLIC_BASE_URL is not a URL/],
    ["https://tunnel.example.net/callbacks", /without a path.*set it to https:\/\/tunnel\.example\.net$/],
    ["https://tunnel.example.net/?x=1", /without a path, query/],
    ["https://user:pw@tunnel.example.net", /credentials/],
  ])("refuses %s in one line naming the fix", (url, message) => {
    let error: unknown;
    try {
      checkPublicBaseUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("refuses a malformed CONVERSATIONS_SERVICE_SID, saying where to copy it from", () => {
    expect(() => checkLocalSettings({ CONVERSATIONS_SERVICE_SID: "IS123" })).toThrow(
      /CONVERSATIONS_SERVICE_SID must be IS followed by 32 hex characters: copy it from Console > Frontline > Overview/,
    );
    expect(() => checkLocalSettings({ CONVERSATIONS_SERVICE_SID: `IS${"a".repeat(32)}` })).not.toThrow();
  });

  it("refuses the Auth Token placeholder that .env.example ships with", () => {
    // The constant and the file must not drift apart.
    expect(readFileSync(".env.example", "utf8")).toContain(`TWILIO_AUTH_TOKEN=${PLACEHOLDER_AUTH_TOKEN}\n`);
    expect(() => checkLocalSettings({ TWILIO_AUTH_TOKEN: PLACEHOLDER_AUTH_TOKEN })).toThrow(
      /placeholder from \.env\.example/,
    );
    expect(() => checkLocalSettings({ TWILIO_AUTH_TOKEN: "0123456789abcdef0123456789abcdef" })).not.toThrow();
  });
});
