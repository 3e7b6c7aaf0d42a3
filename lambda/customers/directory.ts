import type { Customer, CustomerSummary } from "./customer.js";

/**
 * One page request of a worker's customers.
 *
 * Order: by `customer_id` in code point order (the UTF-8 byte order DynamoDB keeps keys in; the same
 * as plain code-unit order unless ids hold characters above U+FFFF), with or without `query`: a search
 * is the worker's list with non-matching customers left out, each match listed once. So the `anchor`
 * (the last customer_id of the previous page, sent by older Frontline apps) is enough to rebuild where
 * the next page starts, also while searching.
 */
export interface ListRequest {
  /** Worker identity; matched case-insensitively. */
  worker: string;
  /** 1..MAX_PAGE_SIZE, already validated by the handler. */
  pageSize: number;
  /**
   * Prefix of the display name read from any of its words ("ann smi" finds "Ann Smith"), ignoring
   * case, accents and punctuation (matching.ts). Absent, empty or punctuation-only: no filter.
   */
  query?: string;
  /** Opaque token this directory issued as `nextPageToken` on the previous page. */
  pageToken?: string;
  /**
   * Legacy paging: the `customer_id` of the last row of the previous page (ignored with `pageToken`).
   * The page starts strictly after that id; an id that is not (or no longer) in the list still marks
   * the position where it would sort.
   */
  anchor?: string;
}

export interface ListPage {
  /** pageSize rows; fewer only on the last page, or with a token when DynamoDB stops at its 1 MB read limit. */
  customers: CustomerSummary[];
  /** Present when more rows may follow; absent on the last page. */
  nextPageToken?: string;
}

export interface CustomerDirectory {
  list(request: ListRequest): Promise<ListPage>;
  getById(customerId: string): Promise<Customer | undefined>;
  /** Exact match on a channel value (`+E164`, `whatsapp:+E164`, ...); a value several customers share goes to the lowest customer_id. */
  findByAddress(address: string): Promise<Customer | undefined>;
}

/**
 * A page token that did not come from this directory (tampered, truncated), or was issued for another
 * worker or another query; also an `anchor` no customer_id could be (over 256 characters, ill-formed).
 */
export class InvalidPageTokenError extends Error {
  constructor() {
    super("NextPageToken is not valid");
    this.name = "InvalidPageTokenError";
  }
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 30;
