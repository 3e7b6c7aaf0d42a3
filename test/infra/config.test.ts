/** Every config rule on its own: the message names the full key and the command that fixes it. */
import { describe, expect, it } from "vitest";
import { DEFAULTS, parseStackConfig, StackConfigError } from "../../infra/config.js";

const P = "frontline-stack";
const valid: Record<string, string> = {
  "twilio:accountSid": "AC" + "a".repeat(32),
  [`${P}:conversationsServiceSid`]: "IS" + "b".repeat(32),
  [`${P}:smsNumber`]: "+15551230001",
};
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
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
      customDomain: undefined,
      alarmEmail: undefined,
      latencyAlarmMs: 3000,
      protectCustomers: true,
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
      [`${P}:alarmEmail`]: "oncall@example.com",
      [`${P}:latencyAlarmMs`]: "2500",
      [`${P}:protectCustomers`]: "false",
    });
    expect(config).toMatchObject({
      whatsappNumber: "whatsapp:+15551230002",
      messagingServiceSid: "MG" + "c".repeat(32),
      inboundMode: "messaging-service",
      defaultWorker: "alice@example.com",
      logRetentionDays: 30,
      throttle: { rateLimit: 2.5, burstLimit: 7 },
      publicBaseUrl: "https://frontline.example.com",
      alarmEmail: "oncall@example.com",
      latencyAlarmMs: 2500,
      protectCustomers: false,
    });
  });

  it("reads a custom domain with its certificate", () => {
    const config = parse({
      [`${P}:customDomain`]: "Frontline.Example.com",
      [`${P}:certificateArn`]: CERT,
      "aws:region": "eu-west-1",
    });
    expect(config.customDomain).toEqual({ name: "frontline.example.com", certificateArn: CERT });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it("keeps the customer table protected unless protectCustomers is exactly false", () => {
    expect(parse({ [`${P}:protectCustomers`]: "TRUE" }).protectCustomers).toBe(true);
    expect(parse({ [`${P}:protectCustomers`]: "False" }).protectCustomers).toBe(false);
  });

  it("treats empty values as unset", () => {
    expect(parse({ [`${P}:whatsappNumber`]: "  ", [`${P}:logRetentionDays`]: "" })).toMatchObject({
      whatsappNumber: undefined,
      logRetentionDays: 14,
    });
  });

  it.each([
    [
      "twilio:accountSid",
      "AC123",
      /twilio:accountSid must be a Twilio Account SID.*got "AC123": pulumi config set twilio:accountSid AC/,
    ],
    [
      `${P}:conversationsServiceSid`,
      "CH" + "b".repeat(32),
      /frontline-stack:conversationsServiceSid must be the SID of Frontline's Conversations service.*pulumi config set conversationsServiceSid IS/,
    ],
    [
      `${P}:smsNumber`,
      "15551230001",
      /frontline-stack:smsNumber must be an E\.164 number such as \+15551230001, got "15551230001": pulumi config set smsNumber \+15551230001/,
    ],
    [
      `${P}:whatsappNumber`,
      "+15551230001",
      /frontline-stack:whatsappNumber must be a WhatsApp sender such as whatsapp:\+15551230001.*pulumi config set whatsappNumber whatsapp:\+15551230001 \(or pulumi config rm whatsappNumber/,
    ],
    [`${P}:messagingServiceSid`, "MGxyz", /frontline-stack:messagingServiceSid must be a Messaging Service SID/],
    [
      `${P}:inboundMode`,
      "auto",
      /frontline-stack:inboundMode must be address-configuration or messaging-service, got "auto": pulumi config set inboundMode address-configuration/,
    ],
    [
      `${P}:logRetentionDays`,
      "10",
      /frontline-stack:logRetentionDays must be one of CloudWatch's retention periods \(1, 3, 5, 7, 14, .*got "10": pulumi config set logRetentionDays 14/,
    ],
    [
      `${P}:throttle`,
      "50",
      /frontline-stack:throttle must be an object \{rateLimit, burstLimit\}.*pulumi config set --path throttle.rateLimit 50/,
    ],
    [
      `${P}:throttle`,
      JSON.stringify({ rateLimit: -1 }),
      /frontline-stack:throttle.rateLimit must be a positive number, got -1/,
    ],
    [
      `${P}:throttle`,
      JSON.stringify({ burstLimit: 1.5 }),
      /frontline-stack:throttle.burstLimit must be a positive whole number, got 1.5/,
    ],
    [
      `${P}:throttle`,
      JSON.stringify({ rate: 5 }),
      /frontline-stack:throttle has unknown field\(s\) rate; expected rateLimit and burstLimit/,
    ],
    [
      `${P}:publicBaseUrl`,
      "http://frontline.example.com",
      /frontline-stack:publicBaseUrl must be an https origin without a path/,
    ],
    [
      `${P}:publicBaseUrl`,
      "https://example.com/frontline",
      /frontline-stack:publicBaseUrl must be an https origin without a path.*got "https:\/\/example.com\/frontline"/,
    ],
    [
      `${P}:alarmEmail`,
      "oncall",
      /frontline-stack:alarmEmail must be an email address, got "oncall": pulumi config set alarmEmail oncall@/,
    ],
    [
      `${P}:latencyAlarmMs`,
      "7000",
      /latencyAlarmMs must be a whole number of milliseconds below Frontline's 7000 ms.*config set latencyAlarmMs 3000/,
    ],
    [
      `${P}:latencyAlarmMs`,
      "5000",
      /latencyAlarmMs must be a whole number of milliseconds .*the functions' 5000 ms timeout, got "5000"/,
    ],
    [`${P}:latencyAlarmMs`, "2.5s", /latencyAlarmMs must be a whole number of milliseconds.*got "2.5s"/],
    [`${P}:latencyAlarmMs`, "0", /frontline-stack:latencyAlarmMs must be a whole number/],
    [
      `${P}:protectCustomers`,
      "no",
      /frontline-stack:protectCustomers must be true or false, got "no": pulumi config set protectCustomers true/,
    ],
  ])("rejects %s = %s", (key, value, message) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  describe("custom domain", () => {
    const domain = { [`${P}:customDomain`]: "frontline.example.com", [`${P}:certificateArn`]: CERT };

    it("refuses customDomain together with publicBaseUrl, naming both keys", () => {
      const problems = problemsOf({ ...domain, [`${P}:publicBaseUrl`]: "https://cdn.example.com" });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^frontline-stack:customDomain and frontline-stack:publicBaseUrl are both set; keep one.*rm publicBaseUrl/,
      );
    });

    it("refuses a domain without its certificate, and a certificate without a domain, each naming the fix", () => {
      expect(problemsOf({ [`${P}:customDomain`]: "frontline.example.com" })).toEqual([
        expect.stringMatching(
          new RegExp(
            "^frontline-stack:customDomain needs frontline-stack:certificateArn, an ACM certificate for " +
              "frontline.example.com in the stack's region: pulumi config set certificateArn arn:aws:acm:",
          ),
        ),
      ]);
      expect(problemsOf({ [`${P}:certificateArn`]: CERT })).toEqual([
        expect.stringMatching(
          /^frontline-stack:certificateArn is set but frontline-stack:customDomain is not.*set customDomain /,
        ),
      ]);
    });

    it.each([
      [
        "https://frontline.example.com",
        /customDomain must be a host name without scheme or path, such as frontline.example.com, got "https:/,
      ],
      ["frontline.example.com/x", /customDomain must be a host name without scheme or path/],
      ["localhost", /customDomain must be a host name/],
    ])("refuses customDomain = %s", (value, message) => {
      const problems = problemsOf({ ...domain, [`${P}:customDomain`]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(message);
    });

    it("refuses a certificate that is not an ACM ARN, or not in the stack's region", () => {
      const iamCertificate = "arn:aws:iam::123456789012:server-certificate/x";
      expect(problemsOf({ ...domain, [`${P}:certificateArn`]: iamCertificate })).toEqual([
        expect.stringMatching(/^frontline-stack:certificateArn must be an ACM certificate ARN/),
      ]);
      expect(problemsOf({ ...domain, "aws:region": "us-east-1" })).toEqual([
        expect.stringMatching(
          /^frontline-stack:certificateArn is in eu-west-1 but the stack deploys to us-east-1 \(aws:region\)/,
        ),
      ]);
    });
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ "twilio:accountSid": undefined, [`${P}:smsNumber`]: "x", [`${P}:inboundMode`]: "y" });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["twilio:accountSid", `${P}:smsNumber`, `${P}:inboundMode`]);
    expect(problems[0]).toMatch(/is required \(a Twilio Account SID/);
  });
});
