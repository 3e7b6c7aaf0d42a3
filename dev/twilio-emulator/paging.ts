/**
 * Twilio's two list shapes. Version-1 APIs answer `{meta:{page, page_size, first_page_url,
 * previous_page_url, next_page_url, url, key}, <key>: [...]}` with absolute URLs; API 2010 answers
 * top-level `first_page_uri`, `next_page_uri`, ... relative to https://api.twilio.com.
 * Both take `PageSize`, `Page` and `PageToken`; a token wins over `Page` when both are sent.
 */
import { invalidParameter } from "./errors.js";
import type { Fields } from "./form.js";

const DEFAULT_PAGE_SIZE = 50;

interface Window {
  page: number;
  pageSize: number;
  offset: number;
}

/** Page tokens encode the offset; real ones are opaque too, so callers must follow links verbatim. */
function token(offset: number): string {
  return `PT${offset}`;
}

function window(query: Fields): Window {
  const pageSize = query.int("PageSize") ?? DEFAULT_PAGE_SIZE;
  const page = query.int("Page") ?? 0;
  const pageToken = query.string("PageToken");
  if (pageToken === undefined) return { page, pageSize, offset: page * pageSize };
  const m = /^PT(\d+)$/.exec(pageToken);
  if (!m)
    throw invalidParameter(
      `Invalid parameter PageToken: ${JSON.stringify(pageToken)} is not a page token this API issued`,
    );
  return { page, pageSize, offset: Number(m[1]) };
}

function link(
  path: string,
  filters: Array<[string, string]>,
  pageSize: number,
  page: number,
  offset: number | undefined,
): string {
  const q = new URLSearchParams(filters);
  q.set("PageSize", String(pageSize));
  q.set("Page", String(page));
  if (offset !== undefined) q.set("PageToken", token(offset));
  return `${path}?${q.toString()}`;
}

interface ListRequest<T> {
  /** Path on the real host, e.g. `/v1/Services`. */
  path: string;
  key: string;
  items: T[];
  query: Fields;
  /** Filters echoed into every page link, as Twilio does. */
  filters?: Array<[string, string]>;
  render: (item: T) => unknown;
}

export function pageV1<T>(host: string, req: ListRequest<T>): Record<string, unknown> {
  const w = window(req.query);
  const filters = req.filters ?? [];
  const slice = req.items.slice(w.offset, w.offset + w.pageSize);
  const base = `https://${host}${req.path}`;
  const hasNext = w.offset + w.pageSize < req.items.length;
  return {
    meta: {
      page: w.page,
      page_size: w.pageSize,
      first_page_url: link(base, filters, w.pageSize, 0, undefined),
      previous_page_url:
        w.page > 0 ? link(base, filters, w.pageSize, w.page - 1, Math.max(0, w.offset - w.pageSize)) : null,
      next_page_url: hasNext ? link(base, filters, w.pageSize, w.page + 1, w.offset + w.pageSize) : null,
      url: link(base, filters, w.pageSize, w.page, req.query.has("PageToken") ? w.offset : undefined),
      key: req.key,
    },
    [req.key]: slice.map(req.render),
  };
}

export function page2010<T>(req: ListRequest<T>): Record<string, unknown> {
  const w = window(req.query);
  const filters = req.filters ?? [];
  const slice = req.items.slice(w.offset, w.offset + w.pageSize);
  const hasNext = w.offset + w.pageSize < req.items.length;
  return {
    first_page_uri: link(req.path, filters, w.pageSize, 0, undefined),
    next_page_uri: hasNext ? link(req.path, filters, w.pageSize, w.page + 1, w.offset + w.pageSize) : null,
    previous_page_uri:
      w.page > 0 ? link(req.path, filters, w.pageSize, w.page - 1, Math.max(0, w.offset - w.pageSize)) : null,
    uri: link(req.path, filters, w.pageSize, w.page, req.query.has("PageToken") ? w.offset : undefined),
    page: w.page,
    page_size: w.pageSize,
    start: w.offset,
    end: Math.max(w.offset, w.offset + slice.length - 1),
    [req.key]: slice.map(req.render),
  };
}
