/**
 * npm run customers:import -- --table <name> [--region r] [--endpoint url] [--concurrency n] [--dry-run] <file>
 *
 * Upserts a JSON array of customers (the local store's file shape) into the customer table, with
 * the item layout of lambda/customers/table-schema.ts. Idempotent: a customer whose items are
 * already exactly in the table is not written again, a changed one is rewritten and its stale items
 * (dropped search keys, removed addresses) deleted. Customer data goes this way and never through
 * Pulumi, so it stays out of state and out of preview comments.
 *
 * Customers not in the file are left alone (this is an upsert, not a sync).
 */
import { readFileSync } from "node:fs";
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { Customer } from "../lambda/customers/customer.js";
import { ATTR, customerPartition, type Item, type ItemKey, itemsForCustomer, staleItemKeys } from "../lambda/customers/table-schema.js";
import { InvalidCustomerError, toCustomer } from "../lambda/customers/validate-customer.js";

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
    throw new ImportFileError([`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (!Array.isArray(records)) throw new ImportFileError([`${source}: expected a JSON array of customers`]);
  const problems: string[] = [];
  const customers: Customer[] = [];
  const firstIndex = new Map<string, number>();
  records.forEach((record: unknown, index) => {
    try {
      const customer = toCustomer(record);
      const previous = firstIndex.get(customer.customer_id);
      if (previous !== undefined) problems.push(`${source}: customer at index ${index}: customer_id is already used at index ${previous}`);
      else firstIndex.set(customer.customer_id, index);
      customers.push(customer);
      // Sizing rules (document size) live with the layout: check them now, not halfway through the writes.
      itemsForCustomer(customer);
    } catch (error) {
      if (error instanceof InvalidCustomerError) problems.push(`${source}: customer at index ${index}: ${error.message}`);
      else if (error instanceof RangeError) problems.push(`${source}: customer at index ${index}: ${error.message.replace(/^customer \S+ /, "")}`);
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
  const summary: ImportSummary = { customers: customers.length, created: 0, updated: 0, unchanged: 0, itemsWritten: 0, itemsDeleted: 0, dryRun, seconds: 0 };
  let done = 0;
  options.onProgress?.(0, customers.length);

  await forEachLimited(customers, Math.max(1, options.concurrency ?? 8), async (customer) => {
    const fresh = itemsForCustomer(customer);
    const existing = await queryPartition(client, table, customerPartition(customer.customer_id));
    const stale = staleItemKeys(existing, fresh);
    const outcome: Outcome =
      existing.length === 0
        ? "created"
        : stale.length === 0 && (await allPresent(client, table, fresh, existing, customerPartition(customer.customer_id), backoffMs))
          ? "unchanged"
          : "updated";
    if (outcome !== "unchanged") {
      if (!dryRun) {
        // Puts first: a reader in between sees the new record plus soon-deleted leftovers, never a gap.
        await batchWrite(client, table, fresh.map((Item) => ({ PutRequest: { Item } })), backoffMs);
        await batchWrite(client, table, stale.map((Key) => ({ DeleteRequest: { Key } })), backoffMs);
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
      if (attempt > MAX_RESENDS) throw new Error(`BatchGetItem on ${table} kept leaving keys unprocessed; try again with a lower --concurrency`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const output: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of output.Responses?.[table] ?? []) found.set(keyOf(item), canonical(item));
      keys = output.UnprocessedKeys?.[table]?.Keys as ItemKey[] | undefined;
    }
    for (const item of chunk) if (found.get(keyOf(item)) !== canonical(item)) return false;
  }
  return true;
}

async function batchWrite(client: Sender, table: string, requests: readonly WriteRequest[], backoffMs: (attempt: number) => number): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > MAX_RESENDS) throw new Error(`BatchWriteItem on ${table} kept leaving items unprocessed; try again with a lower --concurrency`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const output: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
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
  return JSON.stringify(Object.keys(item).sort().map((name) => [name, item[name]]));
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

// --- command line -------------------------------------------------------------------------------

export const USAGE = `usage: npm run customers:import -- --table <name> [--region <aws region>] [--endpoint <url>] [--concurrency <n>] [--dry-run] <customers.json>

  --table        the customer table: pulumi stack output customersTable
  --region       AWS region (default: AWS_REGION / the AWS profile's region)
  --endpoint     a DynamoDB-compatible endpoint, e.g. http://127.0.0.1:8000 for a local one
  --concurrency  customers processed at once (default 8)
  --dry-run      validate and compare, write nothing
AWS credentials come from the usual chain (AWS_PROFILE, environment, SSO, instance role).`;

export interface CliArgs {
  table: string;
  file: string;
  region: string | undefined;
  endpoint: string | undefined;
  concurrency: number;
  dryRun: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseArgs(argv: readonly string[]): CliArgs | "help" {
  const args: Partial<CliArgs> = { concurrency: 8, dryRun: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "--table":
        args.table = value();
        break;
      case "--region":
        args.region = value();
        break;
      case "--endpoint":
        args.endpoint = value();
        break;
      case "--concurrency": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError("--concurrency must be a whole number from 1 to 64");
        args.concurrency = n;
        break;
      }
      case "--dry-run":
        args.dryRun = true;
        break;
      default:
        if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
        files.push(arg);
    }
  }
  if (!args.table) throw new UsageError("--table is required (the table name: pulumi stack output customersTable)");
  if (files.length !== 1) throw new UsageError(files.length === 0 ? "the customers file is required" : `one customers file, got ${files.length}`);
  return { table: args.table, file: files[0]!, region: args.region, endpoint: args.endpoint, concurrency: args.concurrency!, dryRun: args.dryRun! };
}

/** Where the command writes: the progress bar goes to `err` only when it is a terminal. */
export interface Io {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  client?: (args: CliArgs) => Sender;
  now?: () => number;
}

/** `[#########...........]  4,200/10,000  42%  310/s`, fitted to the terminal width. */
export function progressLine(done: number, total: number, elapsedMs: number, columns = 80): string {
  const ratio = total === 0 ? 1 : done / total;
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  const tail = `  ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}  ${Math.floor(ratio * 100)}%  ${rate.toLocaleString("en-US")}/s`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 3));
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]${tail}`;
}

export function summaryLine(table: string, s: ImportSummary): string {
  const verb = s.dryRun ? "Dry run, nothing written" : "Imported";
  return (
    `${verb}: ${s.customers} customer(s) into ${table}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged; ` +
    `${s.itemsWritten} item(s) ${s.dryRun ? "to write" : "written"}, ${s.itemsDeleted} stale item(s) ${s.dryRun ? "to delete" : "deleted"}; ${s.seconds.toFixed(1)} s\n`
  );
}

/** Runs the command; resolves to the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`customers:import: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  const cli = args;
  try {
    let text: string;
    try {
      text = readFileSync(cli.file, "utf8");
    } catch (error) {
      throw new ImportFileError([`cannot read ${cli.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
    }
    const customers = parseCustomersFile(text, cli.file);
    const client =
      io.client?.(cli) ??
      new DynamoDBClient({
        ...(cli.region ? { region: cli.region } : {}),
        ...(cli.endpoint ? { endpoint: cli.endpoint } : {}),
        // The SDK's own retries (throttling, 5xx) with room for an on-demand table to scale up.
        maxAttempts: 10,
      });
    const now = io.now ?? Date.now;
    const started = now();
    let lastDraw = -Infinity;
    const tty = io.err.isTTY === true;
    const summary = await importCustomers({
      client,
      table: cli.table,
      customers,
      concurrency: cli.concurrency,
      dryRun: cli.dryRun,
      onProgress: tty
        ? (done, total) => {
            const t = now();
            if (done === total || t - lastDraw >= 100) {
              lastDraw = t;
              io.err.write(`\r${progressLine(done, total, t - started, io.err.columns)}`);
            }
          }
        : undefined,
    });
    if (tty) io.err.write("\n");
    io.out.write(summaryLine(cli.table, summary));
    return 0;
  } catch (error) {
    if (io.err.isTTY) io.err.write("\n");
    io.err.write(`customers:import: ${explain(error, cli)}\n`);
    return 1;
  }
}

/** AWS errors with the step that usually fixes them. */
function explain(error: unknown, args: CliArgs): string {
  if (error instanceof ImportFileError) return `${error.message}\nNothing was written.`;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "ResourceNotFoundException") return `table ${args.table} not found${args.region ? ` in ${args.region}` : ""}: check --table against \`pulumi stack output customersTable\` and the region of the stack (aws:region)`;
  if (/Region is missing/i.test(message)) return "no AWS region: pass --region (the stack's aws:region) or set AWS_REGION";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) return "no AWS credentials: set AWS_PROFILE or sign in (aws sso login) and retry";
  if (name === "AccessDeniedException") return `${message}\nThe caller needs dynamodb:Query, BatchGetItem and BatchWriteItem on ${args.table}.`;
  return `${name ? `${name}: ` : ""}${message}\nRe-running is safe: customers already written are recognised as unchanged.`;
}
