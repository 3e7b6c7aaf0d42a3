/**
 * Starts the Twilio emulator for one test file and points `TWILIO_API_BASE_URL` at it, so code
 * under test (providers built in-process, or child processes given `emulatorEnv()`) reaches it.
 */
import { afterAll, beforeAll } from "vitest";
import { type EmulatorOptions, startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";

export interface EmulatorFixture {
  /** The running emulator (valid inside tests and hooks). */
  readonly emulator: TwilioEmulator;
  /** Stack config as `configure()` receives it, with the emulator's credentials. */
  config(): { get(key: string): string | undefined; require(key: string): string };
  /** Environment for a child process that should reach the emulator. */
  env(): Record<string, string>;
}

export function useTwilioEmulator(options: EmulatorOptions = {}): EmulatorFixture {
  let emulator: TwilioEmulator | undefined;
  const saved = process.env["TWILIO_API_BASE_URL"];
  beforeAll(async () => {
    emulator = await startTwilioEmulator(options);
    process.env["TWILIO_API_BASE_URL"] = emulator.baseUrl;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env["TWILIO_API_BASE_URL"];
    else process.env["TWILIO_API_BASE_URL"] = saved;
    await emulator?.close();
  });
  const running = (): TwilioEmulator => {
    if (!emulator) throw new Error("the emulator is not running: use the fixture inside tests or hooks");
    return emulator;
  };
  return {
    get emulator() {
      return running();
    },
    config() {
      const values: Record<string, string> = {
        "twilio:accountSid": running().accountSid,
        "twilio:authToken": running().authToken,
      };
      return {
        get: (key) => values[key],
        require: (key) => {
          const value = values[key];
          if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
          return value;
        },
      };
    },
    env() {
      return { TWILIO_API_BASE_URL: running().baseUrl };
    },
  };
}

/**
 * What the Console sets up on a real account: a default Conversations messaging service in the
 * configuration. A SID cannot be set back to empty, so an account restored after destroy keeps one.
 */
export function addConsoleDefaultMessagingService(emulator: TwilioEmulator): string {
  const sid = emulator.addMessagingService({ friendlyName: "Default Conversations Messaging Service" });
  emulator.setConfiguration({ defaultMessagingServiceSid: sid });
  return sid;
}
