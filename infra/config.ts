/**
 * The stack's configuration, read and validated in one place. Every problem is collected and
 * reported at once, each naming the full key and the command that fixes it, so a new stack is set
 * up in one round instead of one failed `pulumi preview` per key.
 */
import * as pulumi from "@pulumi/pulumi";
import { CALLBACKS } from "./callbacks.js";

export const INBOUND_MODES = ["address-configuration", "messaging-service"] as const;
export type InboundMode = (typeof INBOUND_MODES)[number];

/** The values CloudWatch Logs accepts for retention; anything else fails only at `pulumi up`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULTS = {
  inboundMode: "address-configuration" as InboundMode,
  logRetentionDays: 14,
  throttle: { rateLimit: 50, burstLimit: 100 },
  latencyAlarmMs: 3000,
  protectCustomers: true,
} as const;

/** Frontline gives up on a callback a bit under 7 s: a latency alarm above that fires after the fact. */
export const FRONTLINE_TIMEOUT_MS = 7000;

export interface StackConfig {
  /** `pulumi.getProject()`: the namespace of the project's own keys. */
  project: string;
  stack: string;
  accountSid: string;
  /** Secret: only ever handed to the SSM parameter (and read by the Twilio providers' configure()). */
  authToken: pulumi.Output<string>;
  /** Secret, optional: the Console's secondary token while a rotation is in progress. */
  secondaryAuthToken?: pulumi.Output<string>;
  conversationsServiceSid: string;
  smsNumber: string;
  whatsappNumber: string | undefined;
  messagingServiceSid: string | undefined;
  inboundMode: InboundMode;
  defaultWorker: string | undefined;
  logRetentionDays: number;
  throttle: { rateLimit: number; burstLimit: number };
  /** An https origin without a trailing slash, e.g. `https://frontline.example.com`. */
  publicBaseUrl: string | undefined;
  /** The stack's own domain on the API, with its ACM certificate (mutually exclusive with publicBaseUrl). */
  customDomain: { name: string; certificateArn: string } | undefined;
  /** Where alarm and OK notifications go; without it the alarms exist but notify no one. */
  alarmEmail: string | undefined;
  /** p99 callback latency that raises the latency alarms. */
  latencyAlarmMs: number;
  /** DynamoDB deletion protection (and Pulumi's protect) on the customer table. */
  protectCustomers: boolean;
}

export class StackConfigError extends Error {
  override name = "StackConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`The stack configuration has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
  }
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const E164 = /^\+[1-9]\d{1,14}$/;

/** Where the raw values come from: the Pulumi config in the program, a plain map in unit tests. */
export interface RawConfig {
  /** `key` is `namespace:name`; returns the stored string (objects as JSON text), or undefined. */
  get(key: string): string | undefined;
}

/** The plain (non-secret) part of the configuration, validated. Pure, so every rule is testable. */
export function parseStackConfig(
  raw: RawConfig,
  project: string,
  stack: string,
): Omit<StackConfig, "authToken" | "secondaryAuthToken"> {
  const problems: string[] = [];
  const key = (name: string) => (name.includes(":") ? name : `${project}:${name}`);
  const setCmd = (name: string, example: string) => `pulumi config set ${name} ${example}`;
  const text = (name: string): string | undefined => {
    const value = raw.get(key(name))?.trim();
    return value ? value : undefined;
  };
  const required = (name: string, pattern: RegExp, what: string, example: string): string => {
    const value = text(name);
    if (value === undefined) problems.push(`${key(name)} is required (${what}): ${setCmd(name, example)}`);
    else if (!pattern.test(value))
      problems.push(`${key(name)} must be ${what}, got "${value}": ${setCmd(name, example)}`);
    return value ?? "";
  };
  const optional = (name: string, pattern: RegExp, what: string, example: string): string | undefined => {
    const value = text(name);
    if (value !== undefined && !pattern.test(value)) {
      problems.push(
        `${key(name)} must be ${what}, got "${value}": ${setCmd(name, example)} (or pulumi config rm ${name} to leave it unset)`,
      );
    }
    return value;
  };

  const accountSid = required(
    "twilio:accountSid",
    SID("AC"),
    "a Twilio Account SID, AC followed by 32 hex characters",
    "AC0123...",
  );
  const conversationsServiceSid = required(
    "conversationsServiceSid",
    SID("IS"),
    "the SID of Frontline's Conversations service (IS followed by 32 hex characters, shown on Console > Frontline > Overview)",
    "IS0123...",
  );
  const smsNumber = required("smsNumber", E164, "an E.164 number such as +15551230001", "+15551230001");
  const whatsappNumber = optional(
    "whatsappNumber",
    /^whatsapp:\+[1-9]\d{1,14}$/,
    "a WhatsApp sender such as whatsapp:+15551230001",
    "whatsapp:+15551230001",
  );
  const messagingServiceSid = optional(
    "messagingServiceSid",
    SID("MG"),
    "a Messaging Service SID, MG followed by 32 hex characters",
    "MG0123...",
  );
  const defaultWorker = text("defaultWorker");

  const mode = text("inboundMode") ?? DEFAULTS.inboundMode;
  if (!(INBOUND_MODES as readonly string[]).includes(mode)) {
    problems.push(
      `${key("inboundMode")} must be ${INBOUND_MODES.join(" or ")}, got "${mode}": ${setCmd("inboundMode", DEFAULTS.inboundMode)}`,
    );
  }

  const retentionText = text("logRetentionDays");
  const logRetentionDays = retentionText === undefined ? DEFAULTS.logRetentionDays : Number(retentionText);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problems.push(
      `${key("logRetentionDays")} must be one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")}), got "${retentionText}": ${setCmd("logRetentionDays", "14")}`,
    );
  }

  const throttle = parseThrottle(text("throttle"), key("throttle"), problems);

  let publicBaseUrl = text("publicBaseUrl");
  if (publicBaseUrl !== undefined) {
    publicBaseUrl = publicBaseUrl.replace(/\/+$/, "");
    // The functions append the route path to this, and Twilio signs exactly that URL: a path here
    // would be signed by Twilio but never reach the function in its rawPath the same way.
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(publicBaseUrl)) {
      problems.push(
        `${key("publicBaseUrl")} must be an https origin without a path, such as https://frontline.example.com, got "${publicBaseUrl}": ${setCmd("publicBaseUrl", "https://frontline.example.com")}`,
      );
    }
  }

  const customDomain = parseCustomDomain(text, key, publicBaseUrl, problems);

  const alarmEmail = optional("alarmEmail", /^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address", "oncall@example.com");

  const latencyText = text("latencyAlarmMs");
  const latencyAlarmMs = latencyText === undefined ? DEFAULTS.latencyAlarmMs : Number(latencyText);
  // A function's p99 duration never exceeds its timeout, so a threshold at or above the shortest one
  // would be an alarm that can never fire; Frontline gives up later still.
  const latencyCeilingMs = Math.min(...CALLBACKS.map((callback) => callback.timeoutSeconds * 1000));
  if (!Number.isInteger(latencyAlarmMs) || latencyAlarmMs < 1 || latencyAlarmMs >= latencyCeilingMs) {
    problems.push(
      `${key("latencyAlarmMs")} must be a whole number of milliseconds ` +
        `below Frontline's ${FRONTLINE_TIMEOUT_MS} ms limit and the functions' ${latencyCeilingMs} ms timeout, ` +
        `got "${latencyText}": ${setCmd("latencyAlarmMs", String(DEFAULTS.latencyAlarmMs))}`,
    );
  }

  const protectText = text("protectCustomers")?.toLowerCase();
  if (protectText !== undefined && protectText !== "true" && protectText !== "false") {
    problems.push(
      `${key("protectCustomers")} must be true or false, got "${text("protectCustomers")}": ` +
        `${setCmd("protectCustomers", "true")} (false only for a stack about to be destroyed)`,
    );
  }
  const protectCustomers = protectText === undefined ? DEFAULTS.protectCustomers : protectText !== "false";

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    project,
    stack,
    accountSid,
    conversationsServiceSid,
    smsNumber,
    whatsappNumber,
    messagingServiceSid,
    inboundMode: mode as InboundMode,
    defaultWorker,
    logRetentionDays,
    throttle,
    publicBaseUrl,
    customDomain,
    alarmEmail,
    latencyAlarmMs,
    protectCustomers,
  };
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/;

/**
 * `customDomain` and `certificateArn` come as a pair. The certificate must be in the stack's region:
 * a regional API Gateway domain cannot use one from elsewhere (us-east-1 is only for edge endpoints).
 */
function parseCustomDomain(
  text: (name: string) => string | undefined,
  key: (name: string) => string,
  publicBaseUrl: string | undefined,
  problems: string[],
): StackConfig["customDomain"] {
  const name = text("customDomain")?.toLowerCase();
  const certificateArn = text("certificateArn");
  if (name === undefined && certificateArn === undefined) return undefined;
  const before = problems.length;
  if (name !== undefined && publicBaseUrl !== undefined) {
    problems.push(
      `${key("customDomain")} and ${key("publicBaseUrl")} are both set; keep one: customDomain when this stack ` +
        "serves the domain, publicBaseUrl when something else (a CDN) does: " +
        "pulumi config rm publicBaseUrl (or pulumi config rm customDomain)",
    );
  }
  if (name === undefined) {
    problems.push(
      `${key("certificateArn")} is set but ${key("customDomain")} is not; the certificate is only used for ` +
        "the custom domain: " +
        `pulumi config set customDomain frontline.example.com (or pulumi config rm certificateArn)`,
    );
  } else if (!HOST_NAME.test(name)) {
    problems.push(
      `${key("customDomain")} must be a host name without scheme or path, such as frontline.example.com, ` +
        `got "${name}": pulumi config set customDomain frontline.example.com`,
    );
  }
  if (certificateArn === undefined) {
    problems.push(
      `${key("customDomain")} needs ${key("certificateArn")}, an ACM certificate for ${name} in the stack's region: ` +
        `pulumi config set certificateArn arn:aws:acm:<region>:<account>:certificate/<id>`,
    );
  } else {
    const match = ACM_CERTIFICATE.exec(certificateArn);
    const region = text("aws:region");
    if (!match) {
      problems.push(
        `${key("certificateArn")} must be an ACM certificate ARN, got "${certificateArn}": ` +
          "pulumi config set certificateArn arn:aws:acm:<region>:<account>:certificate/<id>",
      );
    } else if (region !== undefined && match[1] !== region) {
      problems.push(
        `${key("certificateArn")} is in ${match[1]} but the stack deploys to ${region} (aws:region); ` +
          `a regional API domain needs a certificate from its own region: request or import one in ${region} ` +
          "and pulumi config set certificateArn <its ARN>",
      );
    }
  }
  return problems.length > before ? undefined : { name: name!, certificateArn: certificateArn! };
}

/** `throttle` is structured config: `pulumi config set --path throttle.rateLimit 50` (and `throttle.burstLimit`). */
function parseThrottle(value: string | undefined, fullKey: string, problems: string[]): StackConfig["throttle"] {
  const fix = `pulumi config set --path throttle.rateLimit 50 && pulumi config set --path throttle.burstLimit 100`;
  if (value === undefined) return { ...DEFAULTS.throttle };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    problems.push(`${fullKey} must be an object {rateLimit, burstLimit}, got "${value}": ${fix}`);
    return { ...DEFAULTS.throttle };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.push(`${fullKey} must be an object {rateLimit, burstLimit}, got ${value}: ${fix}`);
    return { ...DEFAULTS.throttle };
  }
  const record = parsed as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => k !== "rateLimit" && k !== "burstLimit");
  if (unknownKeys.length > 0)
    problems.push(
      `${fullKey} has unknown field(s) ${unknownKeys.join(", ")}; expected rateLimit and burstLimit: ${fix}`,
    );
  const number = (field: "rateLimit" | "burstLimit", integer: boolean): number => {
    const v = record[field];
    if (v === undefined) return DEFAULTS.throttle[field];
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      problems.push(
        `${fullKey}.${field} must be a positive ${integer ? "whole " : ""}number, got ${JSON.stringify(v)}: ${fix}`,
      );
      return DEFAULTS.throttle[field];
    }
    return n;
  };
  // API Gateway takes the rate as a double (requests per second) and the burst as an integer.
  return { rateLimit: number("rateLimit", false), burstLimit: number("burstLimit", true) };
}

/** Reads the running stack's configuration. Throws StackConfigError listing every problem. */
export function loadStackConfig(): StackConfig {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const bags = new Map<string, pulumi.Config>();
  const bag = (namespace: string) => {
    let config = bags.get(namespace);
    if (!config) {
      config = new pulumi.Config(namespace);
      bags.set(namespace, config);
    }
    return config;
  };
  const raw: RawConfig = {
    get(fullKey) {
      const at = fullKey.indexOf(":");
      return bag(fullKey.slice(0, at)).get(fullKey.slice(at + 1));
    },
  };
  const problems: string[] = [];
  let plain: Omit<StackConfig, "authToken" | "secondaryAuthToken"> | undefined;
  try {
    plain = parseStackConfig(raw, project, stack);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    problems.push(...error.problems);
  }
  // Presence is checked on the raw value: Config.get on a secret key would log a warning, and
  // getSecret only answers asynchronously.
  const fix = "pulumi config set --secret twilio:authToken <token>";
  if (!pulumi.runtime.getConfig("twilio:authToken")?.trim()) {
    problems.push(`twilio:authToken is required (the account's Auth Token, stored encrypted): ${fix}`);
  }
  if (problems.length > 0 || !plain) throw new StackConfigError(problems);
  const secondary = pulumi.runtime.getConfig("twilio:secondaryAuthToken")?.trim()
    ? { secondaryAuthToken: bag("twilio").requireSecret("secondaryAuthToken") }
    : {};
  return { ...plain, authToken: bag("twilio").requireSecret("authToken"), ...secondary };
}
