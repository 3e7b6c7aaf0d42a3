/**
 * The customer import without its command line (scripts/customers-import.ts): upserts a JSON array of customers (the local store's file shape) into the customer table, with
 * the item layout of lambda/customers/table-schema.ts. Idempotent: a customer whose items are
 * already exactly in the table is not written again, a changed one is rewritten and its stale items
 * (dropped search keys, removed addresses) deleted. Customer data goes this way and never through
 * Pulumi, so it stays out of state and out of preview comments.
 *
 * Customers not in the file are left alone (this is an upsert, not a sync).
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { Customer } from "../../lambda/customers/customer.js";
import {
  ATTR,
  customerPartition,
  type Item,
  type ItemKey,
  itemsForCustomer,
  staleItemKeys,
} from "../../lambda/customers/table-schema.js";
import { InvalidCustomerError, toCustomer } from "../../lambda/customers/validate-customer.js";

export type Sender = Pick<DynamoDBClient, "send">;

export type Outcome = "created" | "updated" | "unchanged";

export interface ImportSummary {
  customers: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Items written (PutItem) and stale items deleted. */
  itemsWritten: number;
  itemsDeleted: number;
  dryRun: boolean;
  seconds: number;
}

export interface ImportOptions {
  client: Sender;
  table: string;
  customers: readonly Customer[];
  /** Customers processed at once; each costs one Query (and a BatchGet when unchanged-looking). */
  concurrency?: number;
  /** Decide everything, write nothing. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Wait between resends of unprocessed batch items; injectable so tests do not sleep. */
  backoffMs?: (attempt: number) => number;
}

/** A file that cannot be imported. The message names the record and field, never a value (customer data). */
export class ImportFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join("\n  ")}`);
    this.name = "ImportFileError";
  }
}

const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;
const MAX_RESENDS = 8;
/** Enough to locate the mistakes without flooding a terminal with a whole broken export. */
const MAX_REPORTED_PROBLEMS = 20;

/** Validates every record first, so a bad file writes nothing at all. */
export function parseCustomersFile(text: string, source: string): Customer[] {
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError([
      `${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  if (!Array.isArray(records)) throw new ImportFileError([`${source}: expected a JSON array of customers`]);
  const problems: string[] = [];
  const customers: Customer[] = [];
  const firstIndex = new Map<string, number>();
  records.forEach((record: unknown, index) => {
    try {
      const customer = toCustomer(record);
      const previous = firstIndex.get(customer.customer_id);
      if (previous !== undefined)
        problems.push(`${source}: customer at index ${index}: customer_id is already used at index ${previous}`);
      else firstIndex.set(customer.customer_id, index);
      customers.push(customer);
      // Sizing rules (document size) live with the layout: check them now, not halfway through the writes.
      itemsForCustomer(customer);
    } catch (error) {
      if (error instanceof InvalidCustomerError)
        problems.push(`${source}: customer at index ${index}: ${error.message}`);
      else if (error instanceof RangeError)
        problems.push(`${source}: customer at index ${index}: ${error.message.replace(/^customer \S+ /, "")}`);
      else throw error;
    }
  });
  if (problems.length > MAX_REPORTED_PROBLEMS) {
    const more = problems.length - MAX_REPORTED_PROBLEMS;
    problems.splice(MAX_REPORTED_PROBLEMS, more, `... and ${more} more`);
  }
  if (problems.length > 0) throw new ImportFileError(problems);
  return customers;
}

export async function importCustomers(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const { client, table, customers } = options;
  const dryRun = options.dryRun ?? false;
  const backoffMs = options.backoffMs ?? ((attempt: number) => Math.min(50 * 2 ** attempt, 2_000));
  const summary: ImportSummary = {
    customers: customers.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    itemsWritten: 0,
    itemsDeleted: 0,
    dryRun,
    seconds: 0,
  };
  let done = 0;
  options.onProgress?.(0, customers.length);

  await forEachLimited(customers, Math.max(1, options.concurrency ?? 8), async (customer) => {
    const fresh = itemsForCustomer(customer);
    const existing = await queryPartition(client, table, customerPartition(customer.customer_id));
    const stale = staleItemKeys(existing, fresh);
    const outcome: Outcome =
      existing.length === 0
        ? "created"
        : stale.length === 0 &&
            (await allPresent(client, table, fresh, existing, customerPartition(customer.customer_id), backoffMs))
          ? "unchanged"
          : "updated";
    if (outcome !== "unchanged") {
      if (!dryRun) {
        // Puts first: a reader in between sees the new record plus soon-deleted leftovers, never a gap.
        await batchWrite(
          client,
          table,
          fresh.map((Item) => ({ PutRequest: { Item } })),
          backoffMs,
        );
        await batchWrite(
          client,
          table,
          stale.map((Key) => ({ DeleteRequest: { Key } })),
          backoffMs,
        );
      }
      summary.itemsWritten += fresh.length;
      summary.itemsDeleted += stale.length;
    }
    summary[outcome]++;
    options.onProgress?.(++done, customers.length);
  });

  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

async function queryPartition(client: Sender, table: string, partition: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const output: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": ATTR.partitionKey },
        ExpressionAttributeValues: { ":pk": { S: partition } },
        // The comparison below must see what a reader sees.
        ConsistentRead: true,
        ExclusiveStartKey: start as QueryCommand["input"]["ExclusiveStartKey"],
      }),
    );
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * True when every fresh item is stored exactly. Items in the customer's partition were just read;
 * the address items live in other partitions and are fetched, so a run interrupted between writes
 * is repaired by the next one instead of being taken for "unchanged".
 */
async function allPresent(
  client: Sender,
  table: string,
  fresh: readonly Item[],
  partition: readonly Item[],
  partitionName: string,
  backoffMs: (attempt: number) => number,
): Promise<boolean> {
  const stored = new Map(partition.map((item) => [keyOf(item), canonical(item)]));
  const elsewhere: Item[] = [];
  for (const item of fresh) {
    if (stored.has(keyOf(item))) {
      if (stored.get(keyOf(item)) !== canonical(item)) return false;
    } else if (item[ATTR.partitionKey]?.S === partitionName) {
      return false;
    } else {
      elsewhere.push(item);
    }
  }
  for (let i = 0; i < elsewhere.length; i += BATCH_GET_LIMIT) {
    const chunk = elsewhere.slice(i, i + BATCH_GET_LIMIT);
    const found = new Map<string, string>();
    let keys: ItemKey[] | undefined = chunk.map(keyOnly);
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > MAX_RESENDS)
        throw new Error(`BatchGetItem on ${table} kept leaving keys unprocessed; try again with a lower --concurrency`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const output: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of output.Responses?.[table] ?? []) found.set(keyOf(item), canonical(item));
      keys = output.UnprocessedKeys?.[table]?.Keys as ItemKey[] | undefined;
    }
    for (const item of chunk) if (found.get(keyOf(item)) !== canonical(item)) return false;
  }
  return true;
}

async function batchWrite(
  client: Sender,
  table: string,
  requests: readonly WriteRequest[],
  backoffMs: (attempt: number) => number,
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > MAX_RESENDS)
        throw new Error(
          `BatchWriteItem on ${table} kept leaving items unprocessed; try again with a lower --concurrency`,
        );
      if (attempt > 0) await sleep(backoffMs(attempt));
      const output: BatchWriteItemCommandOutput = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      );
      pending = output.UnprocessedItems?.[table];
    }
  }
}

function keyOnly(item: Item): ItemKey {
  return { [ATTR.partitionKey]: item[ATTR.partitionKey]!, [ATTR.sortKey]: item[ATTR.sortKey]! } as ItemKey;
}

function keyOf(item: Item): string {
  return JSON.stringify([item[ATTR.partitionKey]?.S, item[ATTR.sortKey]?.S]);
}

/** Attribute maps compared independently of key order. */
function canonical(item: Item): string {
  return JSON.stringify(
    Object.keys(item)
      .sort()
      .map((name) => [name, item[name]]),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
