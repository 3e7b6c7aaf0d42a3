import type { CustomerSummary } from "./customer.js";
import { InvalidPageTokenError, type ListPage, type ListRequest, MAX_PAGE_SIZE } from "./directory.js";
import { searchKey, workerKey } from "./matching.js";
import { decodePageToken, encodePageToken } from "./page-token.js";
import { isKeyText, MAX_CUSTOMER_ID_LENGTH, MAX_WORKER_LENGTH } from "./validate-customer.js";

/**
 * One list request reduced to what a store looks up: the worker's customers whose name has
 * `searchKey` as a search key, in customer_id order, strictly after `after`. Both stores read their
 * page from such a plan and hand the rows back to `pageFromRows`, so paging means the same in both.
 */
export interface ListPlan {
  workerKey: string;
  searchKey: string;
  /** Absent on a first page. */
  after?: string;
  pageSize: number;
  /** The worker cannot own any stored customer (empty, too long, not valid text): answer an empty page without a read. */
  noSuchWorker: boolean;
}

/**
 * Token first, then anchor. An anchor is a position, not a row: when that customer is gone (or never
 * was the worker's, or does not match the query), the page still starts right after where that id
 * would sort, never back at the first page. With a query the anchor means the same thing, because
 * search results keep customer_id order. A position no stored id could equal (over 256 characters,
 * unpaired surrogates) is refused with InvalidPageTokenError, the same 400 as a bad token.
 */
export function planList(request: ListRequest): ListPlan {
  const { pageSize } = request;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const plan: ListPlan = {
    workerKey: workerKey(request.worker),
    searchKey: searchKey(request.query),
    pageSize,
    noSuchWorker: !isKeyText(request.worker, MAX_WORKER_LENGTH),
  };
  const after = request.pageToken ? decodePageToken(request.pageToken, plan) : request.anchor || undefined;
  if (after !== undefined) {
    // Positions become DynamoDB keys; checking here keeps a forged one a 400 instead of a failed Query.
    if (!isKeyText(after, MAX_CUSTOMER_ID_LENGTH)) throw new InvalidPageTokenError();
    plan.after = after;
  }
  return plan;
}

/**
 * `rows` are what the store read for the plan: up to pageSize + 1 rows in order (the extra row says
 * whether another page exists without another read). `cutShort` is true when the store stopped
 * before the range ended for its own reasons (DynamoDB's 1 MB page), so more rows may follow.
 */
export function pageFromRows(plan: ListPlan, rows: CustomerSummary[], cutShort: boolean): ListPage {
  const customers = rows.length > plan.pageSize ? rows.slice(0, plan.pageSize) : rows;
  const last = customers.at(-1);
  const more = rows.length > plan.pageSize || cutShort;
  if (!more || last === undefined) return { customers };
  return {
    customers,
    nextPageToken: encodePageToken({ workerKey: plan.workerKey, searchKey: plan.searchKey, after: last.customer_id }),
  };
}
