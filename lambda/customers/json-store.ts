import { readFileSync } from "node:fs";
import type { Customer, CustomerSummary } from "./customer.js";
// A plain JSON import: esbuild inlines it into the bundle, so no file has to be found at run time.
import demoRecords from "./demo-customers.json";
import type { CustomerDirectory, ListPage, ListRequest } from "./directory.js";
import { pageFromRows, planList } from "./list-plan.js";
import { compareIds, workerKey } from "./matching.js";
import { NameIndex } from "./name-index.js";
import { InvalidCustomerError, toCustomer } from "./validate-customer.js";

/** Customer data that cannot be loaded; the message names the source, the record index and the field, never a value. */
export class CustomerDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomerDataError";
  }
}

/** One worker's customers, indexed so that a page costs binary searches plus the rows it returns. */
interface WorkerIndex {
  /** Sorted by customer_id (compareIds); a customer's position here is its rank in the name index. */
  customers: Customer[];
  names: NameIndex;
}

/**
 * The whole directory in memory, for the local server and small deployments. Everything a request
 * needs is prepared at load; `list` never walks more than the page it returns.
 */
export class JsonCustomerDirectory implements CustomerDirectory {
  readonly size: number;
  private readonly workers = new Map<string, WorkerIndex>();
  private readonly byId = new Map<string, Customer>();
  private readonly byAddress = new Map<string, Customer>();

  /**
   * Takes valid customers and keeps them, frozen. Use createJsonDirectory for anything read from
   * outside: it validates and hands over fresh copies, so the caller's objects stay untouched.
   */
  constructor(customers: readonly Customer[]) {
    const sorted = [...customers].sort((a, b) => compareIds(a.customer_id, b.customer_id));
    const grouped = new Map<string, Customer[]>();
    for (const customer of sorted) {
      if (this.byId.has(customer.customer_id))
        throw new CustomerDataError(`customer_id "${customer.customer_id}" is used twice`);
      const frozen = deepFreeze(customer);
      this.byId.set(customer.customer_id, frozen);
      for (const channel of customer.channels ?? []) {
        // Ids arrive in ascending order, so the first customer seen keeps a shared address, as in the table.
        if (!this.byAddress.has(channel.value)) this.byAddress.set(channel.value, frozen);
      }
      const key = workerKey(customer.worker);
      const group = grouped.get(key);
      if (group) group.push(frozen);
      else grouped.set(key, [frozen]);
    }
    for (const [key, group] of grouped) this.workers.set(key, indexWorker(group));
    this.size = sorted.length;
  }

  async list(request: ListRequest): Promise<ListPage> {
    const plan = planList(request);
    const index = plan.noSuchWorker ? undefined : this.workers.get(plan.workerKey);
    if (!index) return { customers: [] };
    const { customers } = index;
    const from = plan.after === undefined ? 0 : firstAfter(customers, plan.after);
    // One row beyond the page tells pageFromRows whether another page exists.
    const ranks =
      plan.searchKey === ""
        ? range(from, Math.min(customers.length, from + plan.pageSize + 1))
        : index.names.matches(plan.searchKey, from, plan.pageSize + 1);
    const rows = ranks.map((rank) => summaryOf(customers[rank]!));
    return pageFromRows(plan, rows, false);
  }

  async getById(customerId: string): Promise<Customer | undefined> {
    return this.byId.get(customerId);
  }

  async findByAddress(address: string): Promise<Customer | undefined> {
    return this.byAddress.get(address);
  }
}

/** Validates untrusted records (a parsed JSON file); `source` names them in errors, e.g. the file path. */
export function createJsonDirectory(records: unknown, source = "customers"): JsonCustomerDirectory {
  if (!Array.isArray(records)) throw new CustomerDataError(`${source}: expected a JSON array of customers`);
  const customers: Customer[] = [];
  const firstIndexOf = new Map<string, number>();
  records.forEach((record: unknown, index) => {
    let customer: Customer;
    try {
      customer = toCustomer(record);
    } catch (error) {
      if (error instanceof InvalidCustomerError)
        throw new CustomerDataError(`${source}: customer at index ${index}: ${error.message}`);
      throw error;
    }
    const previous = firstIndexOf.get(customer.customer_id);
    if (previous !== undefined) {
      throw new CustomerDataError(
        `${source}: customer at index ${index}: customer_id "${customer.customer_id}" is already used at index ${previous}`,
      );
    }
    firstIndexOf.set(customer.customer_id, index);
    customers.push(customer);
  });
  return new JsonCustomerDirectory(customers);
}

/**
 * Reads a JSON file holding an array of customers. Synchronous on purpose: it runs once at start-up,
 * and a bad file should stop the server right there rather than fail its first request.
 */
export function loadJsonDirectoryFile(path: string): JsonCustomerDirectory {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CustomerDataError(`${path}: cannot read the customers file (${code})`);
  }
  let records: unknown;
  try {
    records = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new CustomerDataError(`${path}: not valid JSON${jsonErrorPlace(error)}`);
  }
  return createJsonDirectory(records, path);
}

/** The file at `path` (CUSTOMERS_FILE), or the bundled demo customers when it is unset or empty. */
export function loadJsonDirectory(path?: string): JsonCustomerDirectory {
  return path ? loadJsonDirectoryFile(path) : demoDirectory();
}

/** The bundled demo customers (alice@, bob@ and carol@example.com). */
export function demoDirectory(): JsonCustomerDirectory {
  return createJsonDirectory(demoRecords, "demo-customers.json");
}

function indexWorker(customers: Customer[]): WorkerIndex {
  return { customers, names: new NameIndex(customers.map((customer) => customer.display_name)) };
}

/** Position of the first customer whose id sorts strictly after `after` (customers.length when none). */
function firstAfter(customers: readonly Customer[], after: string): number {
  let low = 0;
  let high = customers.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareIds(customers[mid]!.customer_id, after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function summaryOf(customer: Customer): CustomerSummary {
  const summary: CustomerSummary = { customer_id: customer.customer_id, display_name: customer.display_name };
  if (customer.avatar !== undefined) summary.avatar = customer.avatar;
  return summary;
}

/** V8 puts the offending text in JSON.parse messages; keep only the position so no customer data reaches a log. */
function jsonErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const place = /line \d+ column \d+/.exec(message) ?? /position \d+/.exec(message);
  return place ? ` (at ${place[0]})` : "";
}

/** Handlers share these objects across requests: freezing turns an accidental edit into an error instead of a data change. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
