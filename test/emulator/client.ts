/**
 * A bare HTTP client for the emulator tests: real Twilio URLs in, mapped onto the emulator with the
 * same function the product uses, form bodies encoded the way twilio-node encodes them.
 */

import { afterEach } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { twilioApiUrl } from "../../lambda/twilio/api-url.js";

export type Form = Record<string, string | string[]>;

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read arbitrary fields of Twilio's JSON.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  /** `false` sends no Authorization header; a string replaces the password. */
  password?: string | false;
  headers?: Record<string, string>;
}

export function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form))
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

export async function call(
  emu: TwilioEmulator,
  method: string,
  twilioUrl: string,
  form?: Form,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.password !== false) {
    headers["Authorization"] =
      "Basic " + Buffer.from(`${emu.accountSid}:${options.password ?? emu.authToken}`).toString("base64");
  }
  let body: string | undefined;
  if (form) {
    body = encodeForm(form);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const res = await fetch(twilioApiUrl(twilioUrl, emu.baseUrl), { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const CONV = "https://conversations.twilio.com/v1";
export const MSG = "https://messaging.twilio.com/v1";
export const FRONTLINE = "https://frontline-api.twilio.com/v1";
export const api2010 = (emu: TwilioEmulator) => `https://api.twilio.com/2010-04-01/Accounts/${emu.accountSid}`;

export const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

/**
 * A `start` for tests that each need their own emulator: registers an afterEach in the calling
 * file that closes every emulator the file's test started.
 */
export function emulatorPerTest(): (options?: Parameters<typeof startTwilioEmulator>[0]) => Promise<TwilioEmulator> {
  const open: TwilioEmulator[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return async (options) => {
    // These tests send invalid requests on purpose: they stay out of a suite-wide TWILIO_EMULATOR_LOG.
    const emu = await startTwilioEmulator({ logFile: "", ...options });
    open.push(emu);
    return emu;
  };
}
