// Only the webhooks module: the whole `twilio` SDK costs ~120 ms to load and megabytes of bundle.
import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import type { FormParams } from "./form.js";

/** True when `signature` is Twilio's HMAC of `url` and `params` under `authToken`. */
export function isValidSignature(authToken: string, signature: string, url: string, params: FormParams): boolean {
  try {
    return validateRequest(authToken, signature, url, params as Record<string, string | string[]>);
  } catch {
    // validateRequest re-parses the URL with `new URL()`, which throws on a garbage Host header.
    return false;
  }
}
