/**
 * Handlers are registered under the spec's own operation (product, method, path template), so
 * the spec lookup that validates a request also routes it: there is no second path parser.
 */
import type { Fields } from "./form.js";
import type { Store } from "./store.js";
import type { Product } from "./types.js";

export interface HandlerContext {
  store: Store;
  product: Product;
  /** Real host, e.g. `conversations.twilio.com`. */
  host: string;
  /** Path on the real host, e.g. `/v1/Services/IS.../Configuration/Webhooks`. */
  path: string;
  params: Record<string, string>;
  query: Fields;
  form: Fields;
  headers: Record<string, string | string[] | undefined>;
}

export interface Reply {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
}

export type Handler = (ctx: HandlerContext) => Reply;

export interface RouteDefinition {
  product: Product;
  method: "GET" | "POST" | "DELETE";
  /** Exactly as written in the spec's `paths`. */
  template: string;
  handler: Handler;
}

export class RouteTable {
  private readonly handlers = new Map<string, Handler>();

  constructor(definitions: RouteDefinition[]) {
    for (const d of definitions) this.handlers.set(RouteTable.key(d.product, d.method, d.template), d.handler);
  }

  find(product: Product, method: string, template: string): Handler | undefined {
    return this.handlers.get(RouteTable.key(product, method.toUpperCase(), template));
  }

  private static key(product: string, method: string, template: string): string {
    return `${product} ${method} ${template}`;
  }
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
