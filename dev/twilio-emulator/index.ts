/**
 * A stateful Twilio REST emulator for tests: loopback only, validated against Twilio's official
 * OpenAPI specs. A request meant for `https://<product>.twilio.com/<path>` goes to
 * `<baseUrl>/<product>/<path>` (see lambda/twilio/api-url.ts).
 */
import { Emulator } from "./emulator.js";
import type { EmulatorOptions, TwilioEmulator } from "./types.js";

export { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "./emulator.js";
export { ErrorCode } from "./errors.js";
export type { AccountState } from "./state.js";
export type * from "./types.js";

export async function startTwilioEmulator(options?: EmulatorOptions): Promise<TwilioEmulator> {
  const emulator = new Emulator(options);
  await emulator.listen();
  return emulator;
}
