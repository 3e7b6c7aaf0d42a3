/**
 * Checks a request against its OpenAPI operation: path parameters (SID patterns), query
 * parameters, declared headers and the form body's `application/x-www-form-urlencoded` schema.
 * Stricter than Twilio in one way on purpose: unknown parameters are rejected.
 *
 * Form values are strings on the wire; they are converted by the declared type first (booleans
 * only from "true"/"false", integers only from digits, arrays from repeated keys) so that Ajv sees
 * typed values and reports a wrong type instead of accepting any string.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { MultiValue } from "../types.js";
import type { JsonObject, SpecOperation } from "./catalog.js";

type Location = "path" | "query" | "header" | "body";

interface ParameterSet {
  location: Location;
  properties: Record<string, JsonObject>;
  required: string[];
  validate: ValidateFunction;
}

interface CompiledOperation {
  path: ParameterSet;
  query: ParameterSet;
  header: ParameterSet;
  body: ParameterSet;
  acceptsBody: boolean;
}

export interface RequestParts {
  params: Record<string, string>;
  query: MultiValue;
  headers: Record<string, string | string[] | undefined>;
  form: MultiValue;
}

let ajvInstance: Ajv | undefined;

function ajv(): Ajv {
  if (!ajvInstance) {
    // strict:false because OpenAPI adds keywords JSON Schema does not know (nullable, x-twilio, example).
    ajvInstance = new Ajv({ strict: false, allErrors: true });
    addFormats(ajvInstance);
  }
  return ajvInstance;
}

const compiled = new WeakMap<SpecOperation, CompiledOperation>();

/** Returns the problems found, each naming its parameter; an empty list means valid. */
export function validateRequest(op: SpecOperation, parts: RequestParts): string[] {
  let c = compiled.get(op);
  if (!c) {
    c = compile(op);
    compiled.set(op, c);
  }
  const problems: string[] = [];
  problems.push(...check(c.path, Object.fromEntries(Object.entries(parts.params).map(([k, v]) => [k, [v]]))));
  problems.push(...check(c.query, parts.query));
  const headers: MultiValue = {};
  for (const name of Object.keys(c.header.properties)) {
    const value = parts.headers[name.toLowerCase()];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : [value];
  }
  problems.push(...check(c.header, headers));
  if (!c.acceptsBody && Object.keys(parts.form).length > 0) {
    problems.push(...Object.keys(parts.form).map((k) => `Unknown parameter ${k}: ${op.operationId} takes no body`));
  } else {
    problems.push(...check(c.body, parts.form));
  }
  return problems;
}

function compile(op: SpecOperation): CompiledOperation {
  const doc = op.spec.doc;
  const sets: Record<Exclude<Location, "body">, { properties: Record<string, JsonObject>; required: string[] }> = {
    path: { properties: {}, required: [] },
    query: { properties: {}, required: [] },
    header: { properties: {}, required: [] },
  };
  const declared = [...op.sharedParameters, ...((op.operation["parameters"] as unknown[] | undefined) ?? [])];
  for (const raw of declared) {
    const p = resolve(doc, raw) as JsonObject;
    const location = p["in"] as string;
    if (location !== "path" && location !== "query" && location !== "header") continue;
    const name = String(p["name"]);
    sets[location].properties[name] = resolve(doc, p["schema"] ?? {}) as JsonObject;
    if (p["required"] === true || location === "path") sets[location].required.push(name);
  }
  const form = (op.operation["requestBody"] as JsonObject | undefined)?.["content"] as JsonObject | undefined;
  const formSchema = form?.["application/x-www-form-urlencoded"] as JsonObject | undefined;
  const bodySchema = formSchema ? (resolve(doc, formSchema["schema"] ?? {}) as JsonObject) : undefined;
  return {
    path: parameterSet("path", sets.path.properties, sets.path.required, false),
    query: parameterSet("query", sets.query.properties, sets.query.required, false),
    // Clients send many headers the spec does not declare; only declared ones are checked.
    header: parameterSet("header", sets.header.properties, sets.header.required, true),
    body: parameterSet(
      "body",
      (bodySchema?.["properties"] as Record<string, JsonObject> | undefined) ?? {},
      (bodySchema?.["required"] as string[] | undefined) ?? [],
      false,
    ),
    acceptsBody: bodySchema !== undefined,
  };
}

function parameterSet(
  location: Location,
  properties: Record<string, JsonObject>,
  required: string[],
  open: boolean,
): ParameterSet {
  const schema = { type: "object", properties, required, additionalProperties: open };
  registerUnknownFormats(schema);
  return { location, properties, required, validate: ajv().compile(schema) };
}

/**
 * Twilio's specs use formats JSON Schema does not define (`phone-number`, `http-method`,
 * `date-time-rfc-2822`, ...). They are accepted as-is rather than guessed at.
 */
function registerUnknownFormats(schema: unknown): void {
  const instance = ajv();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const format = (node as JsonObject)["format"];
    if (typeof format === "string" && !(format in instance.formats)) instance.addFormat(format, true);
    Object.values(node).forEach(visit);
  };
  visit(schema);
}

/** Inlines `#/components/...` references; request schemas in these specs are not recursive. */
function resolve(doc: JsonObject, node: unknown, depth = 0): unknown {
  if (depth > 32) throw new Error("reference nesting too deep in the spec");
  if (Array.isArray(node)) return node.map((n) => resolve(doc, n, depth + 1));
  if (node === null || typeof node !== "object") return node;
  const ref = (node as JsonObject)["$ref"];
  if (typeof ref === "string") {
    if (!ref.startsWith("#/")) throw new Error(`external reference ${ref} in the spec`);
    let target: unknown = doc;
    for (const part of ref.slice(2).split("/"))
      target = (target as JsonObject)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return resolve(doc, target, depth + 1);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = resolve(doc, v, depth + 1);
  return out;
}

function typeOf(schema: JsonObject | undefined): string | undefined {
  const t = schema?.["type"];
  return typeof t === "string" ? t : undefined;
}

function check(set: ParameterSet, values: MultiValue): string[] {
  const problems: string[] = [];
  const typed: Record<string, unknown> = {};
  for (const [name, list] of Object.entries(values)) {
    const schema = set.properties[name];
    if (schema === undefined) {
      typed[name] = list; // reported by additionalProperties below
      continue;
    }
    if (list.length === 1 && list[0] === "") {
      if (!emptiable(schema) || set.required.includes(name) || set.location === "path")
        problems.push(notEmptiable(name, schema));
      continue;
    }
    if (typeOf(schema) === "array") {
      const items = schema["items"] as JsonObject | undefined;
      typed[name] = list.map((v) => convert(v, items));
      continue;
    }
    if (list.length > 1) {
      problems.push(`Invalid parameter ${name}: given ${list.length} times but it is not a list`);
      continue;
    }
    typed[name] = convert(list[0]!, schema);
  }
  if (set.validate(typed)) return problems;
  return problems.concat(describe(set, set.validate.errors ?? [], typed));
}

/**
 * Whether the spec lets a client send this parameter empty (Twilio's way to clear a field): a list
 * (a lone `X=` clears it) unless it needs items, or a free string. Not an enum (no empty member),
 * not a SID-like `pattern`, not a `minLength`, not a boolean or a number: those have no empty
 * value, and Twilio refuses one. A `format` such as `uri` describes a value that is set, so it does
 * not forbid clearing (the webhook URLs are cleared this way).
 */
export function emptiable(schema: JsonObject | undefined): boolean {
  if (schema === undefined) return true; // unknown parameter: reported by additionalProperties
  if (typeOf(schema) === "array") return !(Number(schema["minItems"] ?? 0) > 0);
  return (
    typeOf(schema) === "string" &&
    schema["enum"] === undefined &&
    schema["pattern"] === undefined &&
    !(Number(schema["minLength"] ?? 0) > 0)
  );
}

function notEmptiable(name: string, schema: JsonObject | undefined): string {
  const why = Array.isArray(schema?.["enum"])
    ? `it must be one of ${(schema!["enum"] as unknown[]).join(", ")}`
    : schema?.["pattern"] !== undefined
      ? `it must match ${String(schema["pattern"])}`
      : `it is ${typeOf(schema) ?? "a value"} that cannot be cleared`;
  return `Invalid parameter ${name}: an empty value is not allowed (${why})`;
}

function convert(value: string, schema: JsonObject | undefined): unknown {
  switch (typeOf(schema)) {
    case "boolean":
      return value === "true" ? true : value === "false" ? false : value;
    case "integer":
      return /^-?\d+$/.test(value) ? Number(value) : value;
    case "number":
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case "object":
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

const WHERE: Record<Location, string> = {
  path: "in the path",
  query: "in the query string",
  header: "in the headers",
  body: "in the post body",
};

function describe(set: ParameterSet, errors: ErrorObject[], typed: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === "required") {
      out.push(`Missing required parameter ${String(e.params["missingProperty"])} ${WHERE[set.location]}`);
      continue;
    }
    if (e.keyword === "additionalProperties") {
      out.push(`Unknown parameter ${String(e.params["additionalProperty"])} ${WHERE[set.location]}`);
      continue;
    }
    const name = (e.instancePath.split("/")[1] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
    const shown = JSON.stringify(typed[name]);
    if (e.keyword === "enum") {
      const allowed = (e.params["allowedValues"] as unknown[]).join(", ");
      out.push(`Invalid parameter ${name}: ${shown} is not one of ${allowed}`);
    } else if (e.keyword === "pattern") {
      out.push(`Invalid parameter ${name}: ${shown} does not match ${String(e.params["pattern"])}`);
    } else {
      out.push(`Invalid parameter ${name}: ${shown} ${e.message ?? "is invalid"}`);
    }
  }
  return [...new Set(out)];
}
