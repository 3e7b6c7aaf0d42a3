import type { Customer, CustomerSummary } from "../../lambda/customers/customer.js";
import type { CustomerDirectory, ListPage, ListRequest } from "../../lambda/customers/directory.js";

/**
 * What a list should return, computed the slow obvious way (filter everything, sort everything), with
 * its own normalisation, so the stores' indexes are checked against something that shares no code.
 */
export function expectedIds(customers: readonly Customer[], worker: string, query = ""): string[] {
  const q = fold(query);
  return customers
    .filter((c) => c.worker.toLowerCase() === worker.toLowerCase())
    .filter((c) => q === "" || wordSuffixes(fold(c.display_name)).some((suffix) => suffix.startsWith(q)))
    .map((c) => c.customer_id)
    .sort(byUtf8);
}

export function expectedSummary(customer: Customer): CustomerSummary {
  return customer.avatar === undefined
    ? { customer_id: customer.customer_id, display_name: customer.display_name }
    : { customer_id: customer.customer_id, display_name: customer.display_name, avatar: customer.avatar };
}

/** UTF-8 byte order is code point order, the order DynamoDB keeps string keys in. */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function fold(text: string): string {
  const plain = [...text.toLowerCase().normalize("NFD")].filter((ch) => !/\p{M}/u.test(ch)).join("");
  return plain
    .split(/[^\p{L}\p{N}]/u)
    .filter((word) => word !== "")
    .join(" ");
}

function wordSuffixes(name: string): string[] {
  const words = name.split(" ");
  return words.map((_, i) => words.slice(i).join(" "));
}

export interface PagingResult {
  pages: ListPage[];
  ids: string[];
}

/** Follows nextPageToken until it is absent; fails loudly instead of looping forever. */
export async function pageWithTokens(
  directory: CustomerDirectory,
  request: Omit<ListRequest, "pageToken" | "anchor">,
): Promise<PagingResult> {
  const pages: ListPage[] = [];
  let pageToken: string | undefined;
  do {
    const page = await directory.list({ ...request, ...(pageToken ? { pageToken } : {}) });
    pages.push(page);
    pageToken = page.nextPageToken;
    if (pages.length > 1000) throw new Error("paging does not end");
  } while (pageToken);
  return { pages, ids: pages.flatMap((page) => page.customers.map((c) => c.customer_id)) };
}

/** Legacy paging: the next request carries the last customer_id as Anchor, and stops on an empty page. */
export async function pageWithAnchors(
  directory: CustomerDirectory,
  request: Omit<ListRequest, "pageToken" | "anchor">,
): Promise<PagingResult> {
  const pages: ListPage[] = [];
  let anchor: string | undefined;
  for (;;) {
    const page = await directory.list({ ...request, ...(anchor ? { anchor } : {}) });
    pages.push(page);
    const last = page.customers.at(-1);
    if (!last) break;
    anchor = last.customer_id;
    if (pages.length > 1000) throw new Error("paging does not end");
  }
  return { pages, ids: pages.flatMap((page) => page.customers.map((c) => c.customer_id)) };
}
