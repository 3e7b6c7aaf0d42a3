import type { DynamoSender } from "../customers/dynamo-store.js";
import { ATTR, type Item, type ItemKey, MAX_DOCUMENT_BYTES } from "../customers/table-schema.js";
import type { Logger } from "../runtime/log.js";
import { DEFAULT_TEMPLATES, parseTemplates, type TemplateCategory } from "./catalog.js";

/**
 * Templates kept as data in the stack's customer table, as one item. Its partition key starts with
 * `settings#`, and every customer item's starts with `customer#` or `address#` (table-schema.ts), so
 * the two can never collide; it has no `wk`, so it never shows in the worker index either.
 */
export const TEMPLATES_KEY: ItemKey = {
  [ATTR.partitionKey]: { S: "settings#templates" },
  [ATTR.sortKey]: { S: "templates" },
};

/** The same room a customer's document has in its item. */
export const MAX_TEMPLATES_BYTES = MAX_DOCUMENT_BYTES;

/** At most this old: an edit pushed with `npm run templates:push` shows in the app within a minute. */
export const TEMPLATES_CACHE_MS = 60_000;

export interface StoredTemplates {
  categories: TemplateCategory[];
  /** ISO time of the push that wrote them. */
  updatedAt: string | undefined;
}

export function templatesItem(categories: readonly TemplateCategory[], updatedAt: string): Item {
  return { ...TEMPLATES_KEY, [ATTR.document]: { S: JSON.stringify(categories) }, updatedAt: { S: updatedAt } };
}

/** Parses the stored item with the same rules as a templates file; throws TemplateFileError naming the item. */
export function templatesFromItem(item: Item): StoredTemplates {
  const doc = item[ATTR.document]?.S;
  let data: unknown;
  try {
    data = JSON.parse(doc ?? "");
  } catch {
    data = undefined;
  }
  return { categories: parseTemplates(data, "stored templates (settings#templates)"), updatedAt: item.updatedAt?.S };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface TemplateReaderOptions {
  call: DynamoSender;
  tableName: string;
  log: Logger;
  ttlMs?: number;
  now?: () => number;
}

/**
 * The templates a function serves: the stored set, read at most once per `ttlMs` (one GetItem),
 * or the bundled defaults when none is stored. A failed read serves the last set read, if any; a
 * damaged item (edited by hand outside `templates:push`) serves the defaults and logs why.
 */
export function storedTemplates(options: TemplateReaderOptions): () => Promise<readonly TemplateCategory[]> {
  const { call, tableName, log, ttlMs = TEMPLATES_CACHE_MS, now = Date.now } = options;
  let cached: readonly TemplateCategory[] | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<readonly TemplateCategory[]> | undefined;

  const read = async (): Promise<readonly TemplateCategory[]> => {
    const output = await call<{ Item?: Item }>("GetItem", { TableName: tableName, Key: TEMPLATES_KEY });
    if (!output.Item) return DEFAULT_TEMPLATES;
    try {
      return templatesFromItem(output.Item).categories;
    } catch (error) {
      log.error("stored templates are not valid; serving the bundled defaults", { error: errorText(error) });
      return DEFAULT_TEMPLATES;
    }
  };

  return async (): Promise<readonly TemplateCategory[]> => {
    if (cached !== undefined && now() - readAt < ttlMs) return cached;
    inflight ??= read()
      .then((value) => {
        cached = value;
        readAt = now();
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    try {
      return await inflight;
    } catch (error) {
      if (cached === undefined) throw error;
      // Try again in a few seconds, not on every request while the table is unwell.
      readAt = Math.max(readAt, now() - ttlMs + 5_000);
      log.warn("templates could not be read; serving the last set read", { error: errorText(error) });
      return cached;
    }
  };
}
