import { afterEach, describe, expect, it } from "vitest";
import {
  credentialsFromConfig,
  hintFor,
  isNotFound,
  resolveCredentials,
  retryDelayMs,
  retryPolicy,
  twilioApiError,
} from "../../infra/twilio/api.js";

const SID = "AC0123456789abcdef0123456789abcdef";

describe("credentials", () => {
  const saved = { sid: process.env["TWILIO_ACCOUNT_SID"], token: process.env["TWILIO_AUTH_TOKEN"] };
  afterEach(() => {
    for (const [key, value] of [["TWILIO_ACCOUNT_SID", saved.sid], ["TWILIO_AUTH_TOKEN", saved.token]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("reads the namespaced stack config keys", () => {
    const config = new Map([["twilio:accountSid", SID], ["twilio:authToken", "tok"]]);
    expect(credentialsFromConfig({ get: (key) => config.get(key) })).toEqual({ accountSid: SID, authToken: "tok" });
  });

  it("falls back to the environment at call time, config first", () => {
    process.env["TWILIO_ACCOUNT_SID"] = SID;
    process.env["TWILIO_AUTH_TOKEN"] = "from-env";
    expect(resolveCredentials({})).toEqual({ accountSid: SID, authToken: "from-env" });
    expect(resolveCredentials({ authToken: "from-config" }).authToken).toBe("from-config");
  });

  it("says how to set them when they are missing or malformed", () => {
    delete process.env["TWILIO_ACCOUNT_SID"];
    delete process.env["TWILIO_AUTH_TOKEN"];
    expect(() => resolveCredentials({})).toThrow(/pulumi config set --secret twilio:authToken/);
    expect(() => resolveCredentials({ accountSid: "SK0123", authToken: "x" })).toThrow(/AC followed by 32 hex/);
  });
});

describe("retry delays", () => {
  it("grows exponentially up to the cap, with jitter inside [half, full]", () => {
    expect(retryDelayMs(1, undefined, 0)).toBe(retryPolicy.baseDelayMs / 2);
    expect(retryDelayMs(1, undefined, 1)).toBe(retryPolicy.baseDelayMs);
    expect(retryDelayMs(3, undefined, 1)).toBe(retryPolicy.baseDelayMs * 4);
    expect(retryDelayMs(20, undefined, 1)).toBe(retryPolicy.capDelayMs);
  });

  it("honours Retry-After in seconds or as a date, capped", () => {
    expect(retryDelayMs(1, "2", 0.5)).toBe(2000);
    expect(retryDelayMs(1, "3600", 0.5)).toBe(retryPolicy.maxDelayMs);
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    expect(retryDelayMs(1, inFiveSeconds, 0.5)).toBeGreaterThan(3_000);
    expect(retryDelayMs(1, "garbage", 1)).toBe(retryPolicy.baseDelayMs);
  });
});

describe("errors", () => {
  it("carry Twilio's code, message and a hint", () => {
    const error = twilioApiError("post", "https://messaging.twilio.com/v1/Services", 400, { code: 20001, message: "Missing FriendlyName", more_info: "https://www.twilio.com/docs/errors/20001" }, 1);
    expect(error.message).toBe(
      "Twilio POST messaging/v1/Services failed: HTTP 400, code 20001: Missing FriendlyName. Hint: Twilio rejected a parameter: compare the resource's arguments with the field named in the message (https://www.twilio.com/docs/errors/20001)",
    );
    expect(error.code).toBe(20001);
  });

  it("say how many attempts were made and what to do after exhausted retries", () => {
    const error = twilioApiError("get", "https://conversations.twilio.com/v1/Configuration", 429, { code: 20429, message: "Too Many Requests" }, 5);
    expect(error.message).toMatch(/after 5 attempts: HTTP 429, code 20429: Too Many Requests\. Hint: Twilio kept rate limiting/);
  });

  it("recognise 20404 as gone, and nothing else", () => {
    expect(isNotFound(twilioApiError("get", "u", 404, { code: 20404, message: "nf" }, 1))).toBe(true);
    expect(isNotFound(twilioApiError("get", "u", 404, "not json", 1))).toBe(true);
    expect(isNotFound(twilioApiError("get", "u", 400, { code: 21712 }, 1))).toBe(false);
    expect(isNotFound(new Error("20404"))).toBe(false);
  });

  it("hint at credentials on 20003", () => {
    expect(hintFor(401, 20003)).toMatch(/twilio:authToken/);
  });
});
