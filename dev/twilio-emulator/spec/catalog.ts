/**
 * Finds the official OpenAPI operation for a request. The specs come from `@twilio/cli-core`
 * (pinned in package.json), are loaded only when a product is first called, and stay cached for
 * the process: the api v2010 spec alone is 1.9 MB.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Product } from "../types.js";

export type JsonObject = Record<string, unknown>;

export interface SpecDocument {
  name: string;
  doc: JsonObject;
}

export interface SpecOperation {
  spec: SpecDocument;
  method: string;
  /** The spec's path template, e.g. `/v1/Services/{ChatServiceSid}/Configuration/Webhooks`. */
  template: string;
  operationId: string;
  operation: JsonObject;
  /** Parameters declared on the path item, which apply to every method under it. */
  sharedParameters: unknown[];
}

export interface OperationMatch {
  operation: SpecOperation;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  pathItem: JsonObject;
}

/** Which spec file serves a product at a version (the first path segment). */
const SPEC_FILES: Record<Product, Record<string, string>> = {
  conversations: { v1: "twilio_conversations_v1.json" },
  messaging: { v1: "twilio_messaging_v1.json" },
  api: { "2010-04-01": "twilio_api_v2010.json" },
  "frontline-api": { v1: "twilio_frontline_v1.json" },
};

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete"]);

let specDirectory: string | undefined;

function specDir(): string {
  // Resolved from this module, not the working directory, so any test folder finds it.
  specDirectory ??= join(
    dirname(createRequire(__filename).resolve("@twilio/cli-core/package.json")),
    "src",
    "services",
    "twilio-api",
  );
  return specDirectory;
}

interface LoadedSpec {
  spec: SpecDocument;
  routes: Route[];
  operations: Map<string, SpecOperation>;
}

const loaded = new Map<string, LoadedSpec>();

function load(file: string, host: string): LoadedSpec {
  const cached = loaded.get(file);
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(join(specDir(), file), "utf8")) as JsonObject;
  const spec: SpecDocument = { name: file, doc };
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(doc["paths"] as Record<string, JsonObject>)) {
    // A path served by another host (the spec's per-path `servers`) is not this product's.
    const servers = item["servers"] as Array<{ url: string }> | undefined;
    if (servers && !servers.some((s) => new URL(s.url).host === host)) continue;
    routes.push(compileTemplate(template, item));
  }
  // Literal segments beat parameters: `/v1/Services/PreregisteredUsa2p` before `/v1/Services/{Sid}`.
  routes.sort((a, b) => a.names.length - b.names.length || b.template.length - a.template.length);
  const entry: LoadedSpec = { spec, routes, operations: new Map() };
  loaded.set(file, entry);
  return entry;
}

function compileTemplate(template: string, pathItem: JsonObject): Route {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name);
      return "([^/]+)";
    })
    .join("");
  return { template, regex: new RegExp(`^${source}$`), names, pathItem };
}

/** Spec files parsed so far in this process, to check that loading stays lazy. */
export function loadedSpecFiles(): string[] {
  return [...loaded.keys()];
}

export function productHost(product: Product): string {
  return `${product}.twilio.com`;
}

export function isProduct(value: string): value is Product {
  return value in SPEC_FILES;
}

/**
 * The operation for `method path` on `product`, or undefined when the spec has no such endpoint.
 * Throws URIError for undecodable path segments (the caller answers 400).
 */
export function findOperation(product: Product, method: string, path: string): OperationMatch | undefined {
  const version = path.split("/")[1] ?? "";
  const file = SPEC_FILES[product][version];
  if (file === undefined) return undefined;
  const spec = load(file, productHost(product));
  const lower = method.toLowerCase();
  if (!HTTP_METHODS.has(lower)) return undefined;
  for (const route of spec.routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    const operation = route.pathItem[lower] as JsonObject | undefined;
    if (!operation) return undefined;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]!);
    });
    const key = `${lower} ${route.template}`;
    let op = spec.operations.get(key);
    if (!op) {
      op = {
        spec: spec.spec,
        method: lower,
        template: route.template,
        operationId: String(operation["operationId"] ?? key),
        operation,
        sharedParameters: (route.pathItem["parameters"] as unknown[] | undefined) ?? [],
      };
      spec.operations.set(key, op);
    }
    return { operation: op, params };
  }
  return undefined;
}
