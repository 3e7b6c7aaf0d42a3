/**
 * What `npm start` refuses before serving, as strictly as the stack config refuses the same
 * values: each problem is one line naming the setting and the fix. (Customer channel values are
 * checked where every customer is read, lambda/customers/validate-customer.ts.)
 */
import { ConfigError, type Env, optionalEnv, readServiceSid } from "../lambda/runtime/env.js";

/** The value .env.example ships with; copied unchanged it would make every callback answer 403. */
export const PLACEHOLDER_AUTH_TOKEN = "your_auth_token";

export function checkLocalSettings(env: Env): void {
  if (optionalEnv(env, "TWILIO_AUTH_TOKEN") === PLACEHOLDER_AUTH_TOKEN) {
    throw new ConfigError(
      "TWILIO_AUTH_TOKEN is still the placeholder from .env.example: set it to your account's Auth Token (Console > Account Info)",
    );
  }
  checkPublicBaseUrl(optionalEnv(env, "PUBLIC_BASE_URL"));
  try {
    // Read when the first Twilio call is made; checked now so a typo does not wait for routing.
    readServiceSid(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${error.message}: copy it from Console > Frontline > Overview, or leave it unset`);
  }
}

const EXAMPLE = "https://your-subdomain.example-tunnel.app";

/** Twilio signs base + callback path, so the base must be a bare http(s) origin. */
export function checkPublicBaseUrl(value: string | undefined): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not a URL: set it to your tunnel's origin, such as ${EXAMPLE}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(
      `PUBLIC_BASE_URL must be http(s), not ${url.protocol.slice(0, -1)}: set it to your tunnel's origin, such as ${EXAMPLE}`,
    );
  }
  if (
    url.pathname.replace(/\/+$/, "") !== "" ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== "" ||
    url.password !== ""
  ) {
    throw new ConfigError(
      `PUBLIC_BASE_URL must be an origin without a path, query or credentials (the callback paths are appended to it): set it to ${url.origin}`,
    );
  }
}
