/**
 * The Twilio-only program, as a function: the project's index.ts (what `pulumi up` runs) and the
 * engine test's inline program (test/engine/run.cjs) run this same code.
 *
 * The callbacks run elsewhere (a server of your own, or a tunnel to `npm start`); this configures the
 * Twilio account to call them, with the same TwilioAccount component the full program uses. It
 * imports nothing from AWS, so the project needs no AWS package and no provider plugin.
 */
import * as pulumi from "@pulumi/pulumi";
import { CALLBACKS, type CallbackUrlKey } from "../../contract/callbacks.js";
import { type InboundMode, parseStackConfig, type RawConfig, StackConfigError } from "../../infra/config.js";
import { TwilioAccount } from "../../infra/twilio-account.js";

export interface TwilioAccountConfig {
  conversationsServiceSid: string;
  smsNumber: string;
  whatsappNumber: string | undefined;
  messagingServiceSid: string | undefined;
  inboundMode: InboundMode;
  /** An https origin without a trailing slash; the callbacks answer at `<origin>/callbacks/<name>`. */
  callbackBaseUrl: string;
}

/**
 * Validates the project's keys, every problem at once, each naming the key and the command that fixes
 * it. The Twilio keys follow the full program's rules (infra/config.ts); `callbackBaseUrl` is this
 * project's own.
 */
export function parseTwilioAccountConfig(raw: RawConfig, project: string, stack: string): TwilioAccountConfig {
  const problems: string[] = [];
  let parsed: ReturnType<typeof parseStackConfig> | undefined;
  try {
    parsed = parseStackConfig(raw, project, stack);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    problems.push(...error.problems);
  }

  const key = `${project}:callbackBaseUrl`;
  const fix = "pulumi config set callbackBaseUrl https://frontline.example.com";
  const base = raw.get(key)?.trim().replace(/\/+$/, "");
  if (!base) {
    problems.push(`${key} is required (the https origin your callbacks answer on, e.g. a tunnel to npm start): ${fix}`);
  } else if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(base)) {
    // Twilio signs the exact URL it calls; the callbacks check it against <origin>/callbacks/<name>.
    problems.push(
      `${key} must be an https origin without a path, such as https://frontline.example.com, got "${base}": ${fix}`,
    );
  }

  if (problems.length > 0 || !parsed || !base) throw new StackConfigError(problems);
  return {
    conversationsServiceSid: parsed.conversationsServiceSid,
    smsNumber: parsed.smsNumber,
    whatsappNumber: parsed.whatsappNumber,
    messagingServiceSid: parsed.messagingServiceSid,
    inboundMode: parsed.inboundMode,
    callbackBaseUrl: base,
  };
}

/** Reads the running stack's configuration. Throws StackConfigError listing every problem. */
export function loadTwilioAccountConfig(): TwilioAccountConfig {
  const raw: RawConfig = { get: (fullKey) => pulumi.runtime.getConfig(fullKey) };
  const problems: string[] = [];
  let config: TwilioAccountConfig | undefined;
  try {
    config = parseTwilioAccountConfig(raw, pulumi.getProject(), pulumi.getStack());
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    problems.push(...error.problems);
  }
  // The providers read the token from the stack config themselves; here only its presence is checked.
  if (!pulumi.runtime.getConfig("twilio:authToken")?.trim()) {
    problems.push(
      "twilio:authToken is required (the account's Auth Token, stored encrypted): pulumi config set --secret twilio:authToken <token>",
    );
  }
  if (problems.length > 0 || !config) throw new StackConfigError(problems);
  return config;
}

export interface TwilioAccountOutputs {
  /** The messaging service Conversations sends through (created, or the adopted `messagingServiceSid`). */
  messagingServiceSid: pulumi.Output<string>;
  /** One https URL per callback: the conversations one is set on the service, the others go in the Frontline Console. */
  callbackUrls: Record<CallbackUrlKey, string>;
}

export function twilioAccountProgram(): TwilioAccountOutputs {
  const config = loadTwilioAccountConfig();
  const callbackUrls = Object.fromEntries(
    CALLBACKS.map((spec) => [spec.urlKey, `${config.callbackBaseUrl}${spec.path}`]),
  ) as Record<CallbackUrlKey, string>;
  const account = new TwilioAccount("twilio", {
    conversationsServiceSid: config.conversationsServiceSid,
    smsNumber: config.smsNumber,
    whatsappNumber: config.whatsappNumber,
    messagingServiceSid: config.messagingServiceSid,
    inboundMode: config.inboundMode,
    label: pulumi.getStack(),
    conversationsWebhookUrl: callbackUrls.conversations,
  });
  return { messagingServiceSid: account.messagingServiceSid, callbackUrls };
}
