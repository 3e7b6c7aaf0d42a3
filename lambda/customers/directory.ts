import type { Customer, CustomerSummary } from "./customer.js";

/**
 * One page request of a worker's customers.
 *
 * Order: without `query`, customers are listed by `customer_id` (plain code-unit order), so that the
 * `anchor` (the last customer_id of the previous page, sent by older Frontline apps) is enough to
 * rebuild where the next page starts. With `query`, matches are listed by the matching name word,
 * then `customer_id`.
 */
export interface ListRequest {
  /** Worker identity; matched case-insensitively. */
  worker: string;
  /** 1..MAX_PAGE_SIZE, already validated by the handler. */
  pageSize: number;
  /** Case-insensitive prefix of the display name or of any word of it. Absent or empty: no filter. */
  query?: string;
  /** Opaque token this directory issued as `nextPageToken` on the previous page. */
  pageToken?: string;
  /** Legacy paging: the `customer_id` of the last row of the previous page (ignored with `pageToken`). */
  anchor?: string;
}

export interface ListPage {
  customers: CustomerSummary[];
  /** Present when more rows may follow. */
  nextPageToken?: string;
}

export interface CustomerDirectory {
  list(request: ListRequest): Promise<ListPage>;
  getById(customerId: string): Promise<Customer | undefined>;
  /** Exact match on a channel value (`+E164`, `whatsapp:+E164`, ...). */
  findByAddress(address: string): Promise<Customer | undefined>;
}

/** A page token that did not come from this directory (tampered, truncated, or from another store). */
export class InvalidPageTokenError extends Error {
  constructor() {
    super("NextPageToken is not valid");
    this.name = "InvalidPageTokenError";
  }
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 30;
