import { ConfigError, type Env } from "../config-error.js";
import type { Settings } from "../handlers/types.js";

export { ConfigError, type Env };

export function requireEnv(env: Env, name: string, hint = ""): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is required${hint ? `: ${hint}` : ""}`);
  return value;
}

export function optionalEnv(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

const E164 = /^\+[1-9]\d{1,14}$/;

/** The senders and fallback worker; each unset one simply disables what needs it. */
export function readSettings(env: Env): Settings {
  const smsNumber = optionalEnv(env, "TWILIO_SMS_NUMBER");
  if (smsNumber && !E164.test(smsNumber))
    throw new ConfigError("TWILIO_SMS_NUMBER must be an E.164 number such as +15551230001");
  const whatsappNumber = optionalEnv(env, "TWILIO_WHATSAPP_NUMBER");
  if (whatsappNumber && !(whatsappNumber.startsWith("whatsapp:") && E164.test(whatsappNumber.slice(9)))) {
    throw new ConfigError("TWILIO_WHATSAPP_NUMBER must look like whatsapp:+15551230001");
  }
  return { smsNumber, whatsappNumber, defaultWorker: optionalEnv(env, "DEFAULT_WORKER") };
}

export function readAccountSid(env: Env): string {
  const sid = requireEnv(env, "TWILIO_ACCOUNT_SID", "your Twilio Account SID (AC...)");
  if (!/^AC[0-9a-fA-F]{32}$/.test(sid))
    throw new ConfigError("TWILIO_ACCOUNT_SID must be AC followed by 32 hex characters");
  return sid;
}

export function readServiceSid(env: Env): string | undefined {
  const sid = optionalEnv(env, "CONVERSATIONS_SERVICE_SID");
  if (sid && !/^IS[0-9a-fA-F]{32}$/.test(sid))
    throw new ConfigError("CONVERSATIONS_SERVICE_SID must be IS followed by 32 hex characters");
  return sid;
}
