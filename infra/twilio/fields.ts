/**
 * The argument tables that drive every Twilio resource: how each argument is validated (`check`),
 * compared (`diff`), written (form parameter) and read back (field in Twilio's answer).
 * Pure functions only: this module is serialized into each provider's `__provider` text.
 */

/** What the engine passes for a value that is not known yet (a preview of a first deploy). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Value = string | number | boolean | readonly string[] | null;

export type Rule =
  | { readonly kind: "sid"; readonly prefix: string; readonly what: string }
  | { readonly kind: "e164" }
  | { readonly kind: "address" }
  | { readonly kind: "https" }
  | { readonly kind: "text"; readonly max: number }
  | { readonly kind: "bool" }
  | { readonly kind: "oneOf"; readonly values: readonly string[] }
  | { readonly kind: "events"; readonly values: readonly string[]; readonly mustInclude: readonly string[] }
  | { readonly kind: "user" };

export interface FieldSpec {
  readonly rule: Rule;
  readonly required?: boolean;
  /** Changing it means another Twilio object: the resource is replaced, not updated. */
  readonly identity?: boolean;
  readonly default?: Value;
  /** The form parameter Pulumi writes it with; absent for arguments that only address the object. */
  readonly param?: string;
  /** Where Twilio's answer carries it (dotted path into the JSON). */
  readonly path?: string;
}

export type FieldTable = Readonly<Record<string, FieldSpec>>;
export type Values = Record<string, Value>;

export interface CheckFailure {
  property: string;
  reason: string;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why `value` does not fit `rule`, naming the field and the expected form; undefined when it fits. */
export function problem(field: string, rule: Rule, value: unknown): string | undefined {
  if (value === UNKNOWN) return undefined;
  const got = `, got ${describe(value)}`;
  switch (rule.kind) {
    case "sid":
      return typeof value === "string" && new RegExp(`^${rule.prefix}[0-9a-fA-F]{32}$`).test(value)
        ? undefined
        : `${field} must be a ${rule.what} SID: "${rule.prefix}" followed by 32 hex characters (34 in all)${got}`;
    case "e164":
      return typeof value === "string" && /^\+[1-9]\d{1,14}$/.test(value)
        ? undefined
        : `${field} must be a phone number in E.164 form: "+", country code and number, digits only (e.g. "+14155550100")${got}`;
    case "address":
      return typeof value === "string" && /^(whatsapp:)?\+[1-9]\d{1,14}$/.test(value)
        ? undefined
        : `${field} must be an E.164 phone number ("+14155550100") or a WhatsApp address ("whatsapp:+14155550100")${got}`;
    case "https": {
      let url: URL | undefined;
      try {
        url = typeof value === "string" ? new URL(value) : undefined;
      } catch {
        url = undefined;
      }
      return url?.protocol === "https:" && !url.username && !url.password
        ? undefined
        : `${field} must be an absolute https:// URL without credentials (Twilio calls it over the internet)${got}`;
    }
    case "text":
      return typeof value === "string" && value.trim() !== "" && value.length <= rule.max
        ? undefined
        : `${field} must be a non-empty string of at most ${rule.max} characters${got}`;
    case "bool":
      return typeof value === "boolean" ? undefined : `${field} must be true or false${got}`;
    case "oneOf":
      return typeof value === "string" && rule.values.includes(value)
        ? undefined
        : `${field} must be one of ${rule.values.map((v) => `"${v}"`).join(", ")}${got}`;
    case "events": {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || (v !== UNKNOWN && !rule.values.includes(v)))) {
        return `${field} must be a list of Conversations webhook events (${rule.values.join(", ")})${got}`;
      }
      const missing = rule.mustInclude.filter((event) => !value.includes(event));
      return missing.length && !value.includes(UNKNOWN) ? `${field} must include ${missing.join(" and ")}, which Frontline needs${got}` : undefined;
    }
    case "user":
      return typeof value === "string" && value.trim() !== "" && value.length <= 256 && !/[/?#]/.test(value)
        ? undefined
        : `${field} must be a Frontline user SID ("US" followed by 32 hex characters) or the user's identity (usually the email address they sign in with)${got}`;
  }
}

/**
 * `check`: validates `news` against the table, fills defaults, and drops everything else but the
 * names in `outputs` (seeded by the resource class). Unknown names are refused, which also stops
 * credentials from being passed as inputs.
 */
export function checkInputs(table: FieldTable, outputs: readonly string[], news: Record<string, unknown>): { inputs: Values; failures: CheckFailure[] } {
  const inputs: Values = {};
  const failures: CheckFailure[] = [];
  for (const [field, spec] of Object.entries(table)) {
    const value = news[field] ?? spec.default;
    if (value === undefined || value === null) {
      if (spec.required) failures.push({ property: field, reason: `${field} is required` });
      continue;
    }
    const reason = problem(field, spec.rule, value);
    if (reason) failures.push({ property: field, reason });
    inputs[field] = value as Value;
  }
  for (const [field, value] of Object.entries(news)) {
    if (field in table || field === "__provider" || outputs.includes(field) || value === undefined) continue;
    const secretHint = /token|secret|password|accountsid/i.test(field) ? " (Twilio credentials come from the stack config twilio:accountSid / twilio:authToken, never from inputs)" : "";
    failures.push({ property: field, reason: `${field} is not an argument of this resource${secretHint}` });
  }
  return { inputs, failures };
}

/** Equality as Twilio means it: null, "" and absent are the same; lists are sets. */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (v === undefined || v === null || v === "") return null;
    if (Array.isArray(v)) return JSON.stringify([...v].map(String).sort());
    return v;
  };
  return norm(a) === norm(b);
}

/** `diff` against the old outputs: which table fields changed, and which of those force a replacement. */
export function diffInputs(table: FieldTable, olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[] } {
  const changed = Object.keys(table).filter((field) => news[field] === UNKNOWN || !sameValue(olds[field], news[field]));
  return { changes: changed.length > 0, replaces: changed.filter((field) => table[field]?.identity) };
}

/** The value of each named field in a Twilio answer. */
export function liveValues(table: FieldTable, body: unknown, fields: readonly string[]): Values {
  const values: Values = {};
  for (const field of fields) {
    const path = table[field]?.path;
    if (!path) continue;
    let value: unknown = body;
    for (const key of path.split(".")) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    values[field] = value === undefined ? null : (value as Value);
  }
  return values;
}

/** The fields Pulumi writes for these arguments (those with a form parameter and a value). */
export function writable(table: FieldTable, args: Record<string, unknown>): Values {
  const values: Values = {};
  for (const [field, spec] of Object.entries(table)) {
    const value = args[field];
    if (spec.param && value !== undefined && value !== null) values[field] = value as Value;
  }
  return values;
}

/** The form that sets `values`: table field names become Twilio's parameter names. */
export function formFor(table: FieldTable, values: Values): Record<string, Value> {
  const form: Record<string, Value> = {};
  for (const [field, value] of Object.entries(values)) {
    const param = table[field]?.param;
    if (param) form[param] = value;
  }
  return form;
}

/** The entries of `wanted` that the live object does not already have. */
export function differing(wanted: Values, live: Values): Values {
  return Object.fromEntries(Object.entries(wanted).filter(([field, value]) => !sameValue(value, live[field])));
}
