/**
 * The argument tables that drive every Twilio resource: how each argument is validated (`check`),
 * compared (`diff`), written (form parameter) and read back (field in Twilio's answer).
 *
 * A table is data, built at module load by the small rule helpers below (`sid`, `e164`, ...), so a
 * provider's serialized `__provider` carries only the rules it uses, as flat values. The logic is one
 * function, `argumentTable`, with inner helpers (see api.ts for why serialized code stays compact).
 */

/** What the engine passes for a value that is not known yet (a preview of a first deploy). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Value = string | number | boolean | readonly string[] | null;
export type Values = Record<string, Value>;

/** How a valid value looks: `expect` completes "<field> must be ...". */
export interface Rule {
  readonly expect: string;
  /** Regular expression source a string value must match (whole value). */
  readonly pattern?: string;
  readonly bool?: true;
  /** A list of these events, including every one of `mustInclude`. */
  readonly events?: readonly string[];
  readonly mustInclude?: readonly string[];
}

export interface FieldSpec extends Rule {
  readonly required?: boolean;
  /** Required unless this other argument is set. */
  readonly requiredUnless?: string;
  /** Changing it means another Twilio object: the resource is replaced, not updated. */
  readonly identity?: boolean;
  /**
   * Filled in by `check` when the argument is absent. (Not named `default`: Pulumi 3.270's closure
   * serializer takes any captured object with a `default` key for an `import *` wrapper and
   * throws when that value is a string.)
   */
  readonly defaultValue?: Value;
  /** The form parameter Pulumi writes it with; absent for arguments that only address the object. */
  readonly param?: string;
  /**
   * Where Twilio's answer carries it (dotted path into the JSON). By default the parameter in
   * snake case, as Twilio names its answers' fields: `AutoCreation.Enabled` is `auto_creation.enabled`.
   */
  readonly path?: string;
  /**
   * The official spec lets the parameter be sent empty, Twilio's way to clear it: a free string or
   * a list. Not an enum, a SID pattern or a boolean, which have no empty value: a restore leaves
   * such a field out when the value it found was null (the value Pulumi set then stays).
   * test/providers/declarations.test.ts checks each flag against the spec.
   */
  readonly clearable?: true;
}

export type FieldTable = Readonly<Record<string, FieldSpec>>;

/** A node of Twilio's JSON answer as `live` walks it: indexed on the way down, a `Value` at the end. */
type Json = (Value & Record<string, unknown>) | undefined;

const E164 = "\\+[1-9][0-9]{1,14}";

export const rules = {
  sid: (prefix: string, what: string): Rule => ({
    expect: `a ${what} SID: "${prefix}" and 32 hex characters`,
    pattern: `${prefix}[0-9a-fA-F]{32}`,
  }),
  e164: (): Rule => ({
    expect: 'a phone number in E.164 form: "+", country code and number, digits only (e.g. "+14155550100")',
    pattern: E164,
  }),
  address: (): Rule => ({
    expect: 'an E.164 phone number ("+14155550100") or a WhatsApp address ("whatsapp:+14155550100")',
    pattern: `(whatsapp:)?${E164}`,
  }),
  // No user:password@ part, no spaces: Twilio calls the URL over the internet.
  https: (): Rule => ({ expect: "an https:// URL without credentials", pattern: "https://[^\\s/?#@]+([/?#]\\S*)?" }),
  text: (max: number): Rule => ({
    expect: `a non-empty string of at most ${max} characters`,
    pattern: `(?=[\\s\\S]*\\S)[\\s\\S]{1,${max}}`,
  }),
  oneOf: (values: readonly string[]): Rule => ({
    expect: `one of ${values.map((v) => `"${v}"`).join(", ")}`,
    pattern: `(${values.join("|")})`,
  }),
  bool: (): Rule => ({ expect: "true or false", bool: true }),
  events: (allowed: readonly string[], mustInclude: readonly string[]): Rule => ({
    expect: `a list of Conversations webhook events (${allowed.slice(0, 2).join(", ")}, ...) that includes ${mustInclude.join(" and ")}, which Frontline needs`,
    events: allowed,
    mustInclude,
  }),
};

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ArgumentTable {
  /** Why `value` does not fit the field, naming it and the expected form; undefined when it fits. */
  problem(field: string, value: unknown): string | undefined;
  /**
   * `check`: validates `news`, fills defaults, keeps only table fields. Names that are neither table
   * fields nor `outputs` (seeded by the resource class) are refused, which also keeps credentials out of inputs.
   */
  check(news: object, outputs: readonly string[]): { inputs: Values; failures: CheckFailure[] };
  /** `diff` against the old outputs: whether any table field changed, and which of those force a replacement. */
  diff(olds: object, news: object): { changes: boolean; replaces: string[] };
  /** The named fields' values in a Twilio answer. Twilio leaves some fields out instead of null (auto_creation's by type): absent reads as null. */
  live(body: unknown, fields: readonly string[]): Values;
  /** The fields Pulumi writes for these arguments (those with a form parameter and a value). */
  writable(args: object): Values;
  /**
   * The form that sets `values`, under Twilio's parameter names. A null (clear) is kept only for a
   * `clearable` field: Twilio refuses an empty enum or SID, and nothing else can express "unset".
   */
  form(values: Values): Record<string, Value>;
  /** The entries of `wanted` that `live` does not already have. */
  differing(wanted: Values, live: Values): Values;
  /** Equality as Twilio means it: null, "" and absent are the same; lists are sets. */
  same(a: unknown, b: unknown): boolean;
}

export function argumentTable(table: FieldTable): ArgumentTable {
  const entries = (o: object) => Object.entries(o) as [string, Value | undefined][];
  const pick = (o: object, keep: (field: string, value: Value | undefined) => unknown) =>
    Object.fromEntries(entries(o).filter(([f, v]) => keep(f, v))) as Values;
  const norm = (v: unknown) =>
    v == null || v === "" ? null : Array.isArray(v) ? JSON.stringify([...v].map(String).sort()) : v;
  const same = (a: unknown, b: unknown) => norm(a) === norm(b);

  function problem(field: string, value: unknown): string | undefined {
    const spec = table[field];
    if (!spec || value === UNKNOWN) return undefined;
    const list: unknown[] = Array.isArray(value) ? value : [];
    const fits = spec.pattern
      ? typeof value === "string" && new RegExp(`^(?:${spec.pattern})$`).test(value)
      : spec.events
        ? Array.isArray(value) &&
          list.every((v) => v === UNKNOWN || spec.events!.includes(v as string)) &&
          (list.includes(UNKNOWN) || spec.mustInclude!.every((e) => list.includes(e)))
        : typeof value === "boolean";
    const shown = JSON.stringify(value) ?? String(value);
    if (!fits) return `${field} must be ${spec.expect}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
  }

  return {
    problem,
    same,
    check(news: Values, outputs) {
      const inputs: Values = {};
      const failures: CheckFailure[] = [];
      const fail = (property: string, reason?: string) => reason && failures.push({ property, reason });
      for (const [field, spec] of Object.entries(table)) {
        const value = news[field] ?? spec.defaultValue;
        const unless = spec.requiredUnless;
        if (value != null) {
          inputs[field] = value;
          fail(field, problem(field, value));
        } else if (spec.required || (unless && news[unless] == null))
          fail(field, `${field} is required${unless ? ` unless ${unless} is set` : ""}`);
      }
      const credentials = " (Twilio credentials come from the stack config twilio:*, never from inputs)";
      for (const [field, value] of entries(news)) {
        if (field in table || field === "__provider" || outputs.includes(field) || value === undefined) continue;
        const hint = /token|secret|password|accountsid/i.test(field) ? credentials : "";
        fail(field, `${field} is not an argument of this resource${hint}`);
      }
      return { inputs, failures };
    },
    diff(olds: Values, news: Values) {
      const changed = Object.keys(table).filter((f) => news[f] === UNKNOWN || !same(olds[f], news[f]));
      return { changes: changed.length > 0, replaces: changed.filter((f) => table[f]!.identity) };
    },
    live(body, names) {
      const values: Values = {};
      for (const name of names) {
        const { param, path = param?.replace(/(?<=[a-z])[A-Z]/g, "_$&").toLowerCase() } = table[name] ?? {};
        if (path)
          values[name] = path.split(".").reduce((v: Json, key: string) => v?.[key] as Json, body as Json) ?? null;
      }
      return values;
    },
    writable: (args) => pick(args, (f, v) => table[f]?.param && v != null),
    form(values) {
      const sendable = entries(values).filter(([f, v]) => v !== null || !table[f] || table[f].clearable);
      return Object.fromEntries(sendable.map(([f, v]) => [table[f]?.param ?? f, v])) as Record<string, Value>;
    },
    differing: (wanted, live) => pick(wanted, (f, v) => !same(v, live[f])),
  };
}
