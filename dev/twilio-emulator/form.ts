/**
 * `application/x-www-form-urlencoded` as Twilio clients send it: PascalCase keys, dotted names
 * for nested fields (`AutoCreation.Enabled`), repeated keys for arrays (`Filters=a&Filters=b`).
 */
import type { MultiValue } from "./types.js";

/** Decodes a query string or form body, keeping every value of a repeated key in order. */
export function parseForm(text: string): MultiValue {
  const out: MultiValue = {};
  for (const [key, value] of new URLSearchParams(text)) {
    out[key] ??= [];
    out[key].push(value);
  }
  return out;
}

/** The log's shape: one value stays a string, repeated keys become arrays. */
export function flatten(values: MultiValue): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, list] of Object.entries(values)) out[key] = list.length === 1 ? list[0]! : [...list];
  return out;
}

/** Typed reads of a validated form. Validation already ran, so these only convert. */
export class Fields {
  constructor(private readonly values: MultiValue) {}

  has(key: string): boolean {
    return key in this.values;
  }

  /** The last value, as Twilio takes it for non-array parameters. */
  string(key: string): string | undefined {
    const list = this.values[key];
    return list === undefined ? undefined : list[list.length - 1];
  }

  /** Twilio's convention: an empty value clears a field. */
  nullable(key: string): string | null | undefined {
    const value = this.string(key);
    return value === undefined ? undefined : value === "" ? null : value;
  }

  bool(key: string): boolean | undefined {
    const value = this.string(key);
    return value === undefined ? undefined : value === "true";
  }

  int(key: string): number | undefined {
    const value = this.string(key);
    return value === undefined ? undefined : Number(value);
  }

  /** All values of a repeated key; a lone empty value (`Filters=`) means "clear". */
  list(key: string): string[] | null | undefined {
    const list = this.values[key];
    if (list === undefined) return undefined;
    if (list.length === 1 && list[0] === "") return null;
    return [...list];
  }
}
