// Only the webhooks module: the whole `twilio` SDK costs ~120 ms to load and megabytes of bundle.
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js";
import type { FormParams } from "../form-params.js";

// Not `import`: in an ESM bundle that reads every export of node:crypto, webcrypto's getters
// included (a few ms of every cold start); the module object itself is already loaded.
const { timingSafeEqual } = process.getBuiltinModule("node:crypto");

/** True when `signature` is Twilio's HMAC of `url` and `params` under `authToken`. */
export function isValidSignature(authToken: string, signature: string, url: string, params: FormParams): boolean {
  const fields = params as Record<string, string | string[]>;
  // The URL exactly as configured matches almost always. validateRequest tries the port-less form
  // first, which costs a wasted HMAC on every request that carries a port (the local server):
  // about 15% of its request time in bench/server-throughput.mjs.
  const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, fields));
  const received = Buffer.from(signature);
  if (expected.length === received.length && timingSafeEqual(expected, received)) return true;
  try {
    // Twilio's own rules for the other forms of the URL (port added or removed, legacy query encoding).
    return validateRequest(authToken, signature, url, fields);
  } catch {
    // validateRequest re-parses the URL with `new URL()`, which throws on a garbage Host header.
    return false;
  }
}
