import { createHmac } from "node:crypto";

/**
 * Twilio's request signature, written from Twilio's documented algorithm (not from the validator
 * under test): URL, then each parameter name and value in sorted name order, HMAC-SHA1, base64.
 * Repeated parameters contribute each distinct value, sorted.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  }
  let data = url;
  for (const name of [...byName.keys()].sort()) {
    for (const value of [...byName.get(name)!].sort()) data += name + value;
  }
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function formBody(params: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
}

export type Params = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;

export function toPairs(params: Params): Array<readonly [string, string]> {
  return Array.isArray(params) ? [...params] : Object.entries(params);
}
