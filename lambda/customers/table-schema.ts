import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ATTR, MATCH_INDEX } from "../../contract/table-schema.js";
import type { Customer, CustomerSummary } from "./customer.js";
import { searchKeysForName, workerKey } from "./matching.js";

// The table's shape lives with the contract the Pulumi program shares; the item layout is here.
export { ATTR, MATCH_INDEX, tableDefinition } from "../../contract/table-schema.js";

const CUSTOMER_PREFIX = "customer#";
const ADDRESS_PREFIX = "address#";
const PROFILE_SK = "customer";
const NAME_PREFIX = "name#";
/** Never part of a search key: normalised names hold only letters, digits and single spaces. */
const MATCH_SEPARATOR = "#";

/** DynamoDB's item limit is 400 KB; keep the record well inside it, with room for the key attributes. */
export const MAX_DOCUMENT_BYTES = 350_000;

export type Item = Record<string, AttributeValue>;
/** `{ pk, sk }`: what GetItem, DeleteItem and BatchWriteItem deletes take. */
export type ItemKey = Record<typeof ATTR.partitionKey | typeof ATTR.sortKey, AttributeValue>;

/** The partition holding every item of one customer (Query it to find them all). */
export function customerPartition(customerId: string): string {
  return CUSTOMER_PREFIX + customerId;
}

export function profileKey(customerId: string): ItemKey {
  return key(customerPartition(customerId), PROFILE_SK);
}

/** The partition of the address items for one channel value; its lowest sort key is the lowest customer_id. */
export function addressPartition(address: string): string {
  return ADDRESS_PREFIX + address;
}

/**
 * Every item one customer is stored as (profile, search keys, address items and their markers), as
 * PutItem / BatchWriteItem items. Pure: the import upserts these and deletes `staleItemKeys`.
 */
export function itemsForCustomer(customer: Customer): Item[] {
  const id = customer.customer_id;
  const doc = JSON.stringify(customer);
  if (Buffer.byteLength(doc, "utf8") > MAX_DOCUMENT_BYTES) {
    throw new RangeError(`customer ${id} is larger than ${MAX_DOCUMENT_BYTES} bytes as JSON`);
  }
  const partition = customerPartition(id);
  const listed: Item = {
    [ATTR.workerKey]: { S: workerKey(customer.worker) },
    [ATTR.displayName]: { S: customer.display_name },
  };
  if (customer.avatar !== undefined) listed[ATTR.avatar] = { S: customer.avatar };

  const items: Item[] = [
    { ...key(partition, PROFILE_SK), ...listed, [ATTR.matchKey]: { S: matchKey("", id) }, [ATTR.document]: { S: doc } },
  ];
  for (const searchKey of searchKeysForName(customer.display_name)) {
    items.push({
      ...key(partition, NAME_PREFIX + searchKey),
      ...listed,
      [ATTR.matchKey]: { S: matchKey(searchKey, id) },
    });
  }
  for (const address of new Set((customer.channels ?? []).map((channel) => channel.value))) {
    items.push(key(partition, ADDRESS_PREFIX + address));
    items.push({ ...key(addressPartition(address), CUSTOMER_PREFIX + id), [ATTR.document]: { S: doc } });
  }
  return items;
}

/**
 * Keys to delete when a customer is rewritten: `partitionItems` are the items now in its partition
 * (a Query on `customerPartition(id)`, keys are enough), `freshItems` what `itemsForCustomer` returns
 * for the new record. Address items dropped from the record are found through their markers.
 */
export function staleItemKeys(partitionItems: readonly Item[], freshItems: readonly Item[]): ItemKey[] {
  const fresh = new Set(freshItems.map(keyString));
  return itemKeysForDeletion(partitionItems).filter((itemKey) => !fresh.has(keyString(itemKey)));
}

/** Keys that remove a customer entirely, given the items of its partition. */
export function itemKeysForDeletion(partitionItems: readonly Item[]): ItemKey[] {
  const keys: ItemKey[] = [];
  for (const item of partitionItems) {
    const pk = stringAttr(item, ATTR.partitionKey);
    const sk = stringAttr(item, ATTR.sortKey);
    keys.push(key(pk, sk));
    if (pk.startsWith(CUSTOMER_PREFIX) && sk.startsWith(ADDRESS_PREFIX)) {
      keys.push(key(sk, CUSTOMER_PREFIX + pk.slice(CUSTOMER_PREFIX.length)));
    }
  }
  return keys;
}

/**
 * Where a page that follows customer `afterId` starts, as the index's ExclusiveStartKey. It is the key
 * the search-key item of `afterId` has (or would have): DynamoDB needs no such item to exist, which is
 * what lets an unknown anchor resume where its id would sort.
 */
export function matchStartKey(workerKeyValue: string, searchKey: string, afterId: string): Item {
  return {
    ...key(customerPartition(afterId), searchKey === "" ? PROFILE_SK : NAME_PREFIX + searchKey),
    [ATTR.workerKey]: { S: workerKeyValue },
    [ATTR.matchKey]: { S: matchKey(searchKey, afterId) },
  };
}

/** The begins_with operand selecting one search key's rows in the index. */
export function matchKeyPrefix(searchKey: string): string {
  return searchKey + MATCH_SEPARATOR;
}

/** A list row from an index item (`pk`, `dn` and optionally `av`). */
export function summaryFromIndexItem(item: Item): CustomerSummary {
  const pk = stringAttr(item, ATTR.partitionKey);
  if (!pk.startsWith(CUSTOMER_PREFIX)) throw new Error(`unexpected ${MATCH_INDEX} row outside a customer partition`);
  const summary: CustomerSummary = {
    customer_id: pk.slice(CUSTOMER_PREFIX.length),
    display_name: stringAttr(item, ATTR.displayName),
  };
  const avatar = item[ATTR.avatar]?.S;
  if (avatar !== undefined) summary.avatar = avatar;
  return summary;
}

/** The customer record stored on a profile or address item. */
export function customerFromItem(item: Item): Customer {
  const doc = item[ATTR.document]?.S;
  let customer: unknown;
  try {
    customer = doc === undefined ? undefined : JSON.parse(doc);
  } catch {
    customer = undefined;
  }
  if (typeof customer !== "object" || customer === null || typeof (customer as Customer).customer_id !== "string") {
    // Name the customer, never the content: an address item's partition key is the customer's
    // number, so its sort key (the customer partition) names it instead.
    const partition = stringAttr(item, ATTR.partitionKey);
    const owner = partition.startsWith(CUSTOMER_PREFIX) ? partition : stringAttr(item, ATTR.sortKey);
    throw new Error(`item ${owner} has no valid customer document`);
  }
  return customer as Customer;
}

function matchKey(searchKey: string, customerId: string): string {
  return matchKeyPrefix(searchKey) + customerId;
}

function key(pk: string, sk: string): ItemKey {
  return { [ATTR.partitionKey]: { S: pk }, [ATTR.sortKey]: { S: sk } };
}

function keyString(item: Item): string {
  return JSON.stringify([stringAttr(item, ATTR.partitionKey), stringAttr(item, ATTR.sortKey)]);
}

function stringAttr(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new Error(`item has no string attribute ${name}`);
  return value;
}
