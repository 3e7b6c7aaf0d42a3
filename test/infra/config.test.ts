/** Every config rule on its own: the message names the full key and the command that fixes it. */
import { describe, expect, it } from "vitest";
import { DEFAULTS, parseStackConfig, StackConfigError } from "../../infra/config.js";

const P = "frontline-stack";
const valid: Record<string, string> = {
  "twilio:accountSid": "AC" + "a".repeat(32),
  [`${P}:conversationsServiceSid`]: "IS" + "b".repeat(32),
  [`${P}:smsNumber`]: "+15551230001",
};
const parse = (overrides: Record<string, string | undefined>) => {
  const values = { ...valid, ...overrides };
  return parseStackConfig({ get: (key) => values[key] }, P, "dev");
};
const problemsOf = (overrides: Record<string, string | undefined>): readonly string[] => {
  try {
    parse(overrides);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a StackConfigError");
};

describe("stack configuration", () => {
  it("fills the documented defaults", () => {
    expect(parse({})).toEqual({
      project: P,
      stack: "dev",
      accountSid: valid["twilio:accountSid"],
      conversationsServiceSid: valid[`${P}:conversationsServiceSid`],
      smsNumber: "+15551230001",
      whatsappNumber: undefined,
      messagingServiceSid: undefined,
      inboundMode: "address-configuration",
      defaultWorker: undefined,
      logRetentionDays: 14,
      throttle: { rateLimit: 50, burstLimit: 100 },
      publicBaseUrl: undefined,
    });
    expect(DEFAULTS.throttle).toEqual({ rateLimit: 50, burstLimit: 100 });
  });

  it("reads every optional key", () => {
    const config = parse({
      [`${P}:whatsappNumber`]: "whatsapp:+15551230002",
      [`${P}:messagingServiceSid`]: "MG" + "c".repeat(32),
      [`${P}:inboundMode`]: "messaging-service",
      [`${P}:defaultWorker`]: " alice@example.com ",
      [`${P}:logRetentionDays`]: "30",
      [`${P}:throttle`]: JSON.stringify({ rateLimit: "2.5", burstLimit: 7 }),
      [`${P}:publicBaseUrl`]: "https://frontline.example.com/",
    });
    expect(config).toMatchObject({
      whatsappNumber: "whatsapp:+15551230002",
      messagingServiceSid: "MG" + "c".repeat(32),
      inboundMode: "messaging-service",
      defaultWorker: "alice@example.com",
      logRetentionDays: 30,
      throttle: { rateLimit: 2.5, burstLimit: 7 },
      publicBaseUrl: "https://frontline.example.com",
    });
  });

  it("treats empty values as unset", () => {
    expect(parse({ [`${P}:whatsappNumber`]: "  ", [`${P}:logRetentionDays`]: "" })).toMatchObject({ whatsappNumber: undefined, logRetentionDays: 14 });
  });

  it.each([
    ["twilio:accountSid", "AC123", /twilio:accountSid must be a Twilio Account SID.*got "AC123": pulumi config set twilio:accountSid AC/],
    [`${P}:conversationsServiceSid`, "CH" + "b".repeat(32), /frontline-stack:conversationsServiceSid must be the SID of Frontline's Conversations service.*pulumi config set conversationsServiceSid IS/],
    [`${P}:smsNumber`, "15551230001", /frontline-stack:smsNumber must be an E\.164 number such as \+15551230001, got "15551230001": pulumi config set smsNumber \+15551230001/],
    [`${P}:whatsappNumber`, "+15551230001", /frontline-stack:whatsappNumber must be a WhatsApp sender such as whatsapp:\+15551230001.*pulumi config set whatsappNumber whatsapp:\+15551230001 \(or pulumi config rm whatsappNumber/],
    [`${P}:messagingServiceSid`, "MGxyz", /frontline-stack:messagingServiceSid must be a Messaging Service SID/],
    [`${P}:inboundMode`, "auto", /frontline-stack:inboundMode must be address-configuration or messaging-service, got "auto": pulumi config set inboundMode address-configuration/],
    [`${P}:logRetentionDays`, "10", /frontline-stack:logRetentionDays must be one of CloudWatch's retention periods \(1, 3, 5, 7, 14, .*got "10": pulumi config set logRetentionDays 14/],
    [`${P}:throttle`, "50", /frontline-stack:throttle must be an object \{rateLimit, burstLimit\}.*pulumi config set --path throttle.rateLimit 50/],
    [`${P}:throttle`, JSON.stringify({ rateLimit: -1 }), /frontline-stack:throttle.rateLimit must be a positive number, got -1/],
    [`${P}:throttle`, JSON.stringify({ burstLimit: 1.5 }), /frontline-stack:throttle.burstLimit must be a positive whole number, got 1.5/],
    [`${P}:throttle`, JSON.stringify({ rate: 5 }), /frontline-stack:throttle has unknown field\(s\) rate; expected rateLimit and burstLimit/],
    [`${P}:publicBaseUrl`, "http://frontline.example.com", /frontline-stack:publicBaseUrl must be an https origin without a path/],
    [`${P}:publicBaseUrl`, "https://example.com/frontline", /frontline-stack:publicBaseUrl must be an https origin without a path.*got "https:\/\/example.com\/frontline"/],
  ])("rejects %s = %s", (key, value, message) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ "twilio:accountSid": undefined, [`${P}:smsNumber`]: "x", [`${P}:inboundMode`]: "y" });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["twilio:accountSid", `${P}:smsNumber`, `${P}:inboundMode`]);
    expect(problems[0]).toMatch(/is required \(a Twilio Account SID/);
  });
});
