/**
 * A change made outside Pulumi (someone in Console, another tool): a raw REST call to the emulator
 * with the account's credentials, for drift tests. `path` is the emulator path, e.g.
 * `/messaging/v1/Services/MG...`.
 */
import type { TwilioEmulator } from "../../dev/twilio-emulator/index.js";

export async function changeOutside(
  emulator: TwilioEmulator,
  method: "POST" | "DELETE",
  path: string,
  form?: Record<string, string>,
): Promise<void> {
  const response = await fetch(`${emulator.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  if (response.status >= 400) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
}
