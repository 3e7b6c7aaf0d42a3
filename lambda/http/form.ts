import type { FormParams } from "../form-params.js";

/** Every key keeps all its values, in order, as Twilio signed them. */
export function parseForm(body: string): FormParams {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const previous = params[key];
    if (previous === undefined) params[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else params[key] = [previous, value];
  }
  return params;
}
