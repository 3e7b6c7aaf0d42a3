/**
 * The customer import against a real DynamoDB-compatible server (dynalite): what it writes is read
 * back through the Lambda's own table store and compared with the JSON store over the same file.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BatchWriteItemCommand, DeleteItemCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { beforeEach, describe, expect, inject, it } from "vitest";
import type { Customer } from "../../lambda/customers/customer.js";
import { DynamoCustomerDirectory } from "../../lambda/customers/dynamo-store.js";
import { createJsonDirectory } from "../../lambda/customers/json-store.js";
import { addressPartition } from "../../lambda/customers/table-schema.js";
import { main, progressLine } from "../../scripts/customers-import.js";
import { importCustomers, parseCustomersFile, type Sender } from "../../scripts/lib/customer-import.js";
import { createTable, recordCommands, storeClient, testClient } from "../customers/dynamo-fixture.js";
import { captureCommandIo } from "../support/command-io.js";

const ROOT = resolve(__dirname, "../..");
const DEMO_FILE = join(ROOT, "lambda/customers/demo-customers.json");
const demoRecords = (): unknown[] => JSON.parse(readFileSync(DEMO_FILE, "utf8"));
const demo = (): Customer[] => parseCustomersFile(readFileSync(DEMO_FILE, "utf8"), "demo");
const noWait = () => 0;

let client: DynamoDBClient;
let table: string;

beforeEach(async () => {
  client = testClient();
  table = await createTable(client, "import");
});

const itemCount = async () =>
  (await client.send(new ScanCommand({ TableName: table, Select: "COUNT", ConsistentRead: true }))).Count ?? 0;

/** The table, read through the Lambda's store, answers exactly what the JSON store answers for `records`. */
async function expectTableServes(records: unknown[]): Promise<void> {
  const json = createJsonDirectory(records);
  const dynamo = new DynamoCustomerDirectory({ client: storeClient(), tableName: table });
  const customers = parseCustomersFile(JSON.stringify(records), "expected");
  for (const customer of customers) {
    expect(await dynamo.getById(customer.customer_id)).toEqual(await json.getById(customer.customer_id));
    for (const channel of customer.channels ?? []) {
      expect((await dynamo.findByAddress(channel.value))?.customer_id).toBe(
        (await json.findByAddress(channel.value))?.customer_id,
      );
    }
  }
  for (const worker of new Set(customers.map((c) => c.worker))) {
    for (const query of [undefined, "a", "sm"]) {
      const request = { worker, pageSize: 100, ...(query ? { query } : {}) };
      expect(await dynamo.list(request), `${worker} ${query}`).toEqual(await json.list(request));
    }
  }
}

describe("importCustomers", () => {
  it("loads a file so the table serves exactly what the JSON store serves", async () => {
    const summary = await importCustomers({ client, table, customers: demo() });
    expect(summary).toMatchObject({
      customers: 11,
      created: 11,
      updated: 0,
      unchanged: 0,
      itemsDeleted: 0,
      dryRun: false,
    });
    expect(summary.itemsWritten).toBe(await itemCount());
    await expectTableServes(demoRecords());
  });

  it("is idempotent: a second run writes nothing and reports every customer unchanged", async () => {
    await importCustomers({ client, table, customers: demo() });
    const before = await itemCount();
    const sent = recordCommands(client);
    const summary = await importCustomers({ client, table, customers: demo() });
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 11, itemsWritten: 0, itemsDeleted: 0 });
    expect(sent.filter((name) => name === "BatchWriteItemCommand")).toEqual([]);
    expect(await itemCount()).toBe(before);
  });

  it("rewrites a changed customer and deletes its stale search keys and addresses", async () => {
    await importCustomers({ client, table, customers: demo() });
    const records = demoRecords() as Array<Record<string, any>>;
    const first = records[0]!;
    const droppedAddress = first["channels"][1].value as string;
    first["display_name"] = "Zed Quinn";
    first["channels"] = [first["channels"][0]];
    const summary = await importCustomers({
      client,
      table,
      customers: parseCustomersFile(JSON.stringify(records), "edited"),
    });
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 10 });
    expect(summary.itemsDeleted).toBeGreaterThan(0);
    const dynamo = new DynamoCustomerDirectory({ client: storeClient(), tableName: table });
    expect(await dynamo.findByAddress(droppedAddress)).toBeUndefined();
    expect(
      (await dynamo.list({ worker: first["worker"], pageSize: 100, query: "zed" })).customers.map((c) => c.customer_id),
    ).toEqual([String(first["customer_id"])]);
    expect(
      (await dynamo.list({ worker: first["worker"], pageSize: 100, query: "smith" })).customers.map(
        (c) => c.customer_id,
      ),
    ).not.toContain(String(first["customer_id"]));
    await expectTableServes(records);
  });

  it("repairs an interrupted run: a customer missing an address item is rewritten, not taken as unchanged", async () => {
    await importCustomers({ client, table, customers: demo() });
    const customer = demo()[0]!;
    const address = customer.channels![0]!.value;
    await client.send(
      new DeleteItemCommand({
        TableName: table,
        Key: { pk: { S: addressPartition(address) }, sk: { S: `customer#${customer.customer_id}` } },
      }),
    );
    const summary = await importCustomers({ client, table, customers: demo() });
    expect(summary).toMatchObject({ updated: 1, unchanged: 10 });
    await expectTableServes(demoRecords());
  });

  it("dry run: decides everything and writes nothing", async () => {
    const summary = await importCustomers({ client, table, customers: demo(), dryRun: true });
    expect(summary).toMatchObject({ created: 11, dryRun: true });
    expect(summary.itemsWritten).toBeGreaterThan(11);
    expect(await itemCount()).toBe(0);
  });

  it("resends what BatchWriteItem leaves unprocessed", async () => {
    let throttled = 0;
    // Processes only the first item of each batch once, as DynamoDB does under throttling.
    const stingy: Sender = {
      send: (async (command: any) => {
        if (command instanceof BatchWriteItemCommand && throttled < 5) {
          const requests = command.input.RequestItems![table]!;
          if (requests.length > 1) {
            throttled++;
            await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests.slice(0, 1) } }));
            return { UnprocessedItems: { [table]: requests.slice(1) } };
          }
        }
        return client.send(command);
      }) as Sender["send"],
    };
    await importCustomers({ client: stingy, table, customers: demo(), backoffMs: noWait, concurrency: 2 });
    expect(throttled).toBe(5);
    await expectTableServes(demoRecords());
  });

  it("reports progress from 0 to the total", async () => {
    const seen: Array<[number, number]> = [];
    await importCustomers({ client, table, customers: demo(), onProgress: (done, total) => seen.push([done, total]) });
    expect(seen[0]).toEqual([0, 11]);
    expect(seen.at(-1)).toEqual([11, 11]);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
  });
});

describe("parseCustomersFile", () => {
  it("reports every bad record by index and field, without quoting customer data", () => {
    const records = demoRecords() as Array<Record<string, unknown>>;
    delete records[2]!["display_name"];
    records[4]!["channels"] = [{ type: "sms", value: 15550100 }];
    records[6]!["customer_id"] = records[0]!["customer_id"];
    let message = "";
    try {
      parseCustomersFile(JSON.stringify(records), "crm.json");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/crm\.json: customer at index 2: display_name/);
    expect(message).toMatch(/crm\.json: customer at index 4: channels\[0\]\.value/);
    expect(message).toMatch(/crm\.json: customer at index 6: customer_id is already used at index 0/);
    expect(message).not.toContain("15550100");
  });

  it("rejects what is not a JSON array", () => {
    expect(() => parseCustomersFile("{", "x.json")).toThrow(/x\.json is not valid JSON/);
    expect(() => parseCustomersFile('{"customers": []}', "x.json")).toThrow(
      /x\.json: expected a JSON array of customers/,
    );
  });
});

describe("the command", () => {
  const capture = (tty: boolean) => captureCommandIo(client, { tty });

  it("draws a progress bar on a terminal's stderr and prints the summary on stdout", async () => {
    const { out, err, io } = capture(true);
    expect(await main(["--table", table, DEMO_FILE], io)).toBe(0);
    expect(err.join("")).toMatch(/\r\[#{10,}\]\s+11\/11\s+100%/);
    expect(out.join("")).toMatch(
      new RegExp(
        `^Imported: 11 customer\\(s\\) into ${table}: 11 created, 0 updated, 0 unchanged; \\d+ item\\(s\\) written, 0 stale item\\(s\\) deleted; \\d+\\.\\d s\\n$`,
      ),
    );
  });

  it("keeps stderr clean when it is not a terminal (CI logs)", async () => {
    const { err, io } = capture(false);
    expect(await main(["--table", table, "--dry-run", DEMO_FILE], io)).toBe(0);
    expect(err).toEqual([]);
  });

  it("answers bad usage with exit 2 and the usage text", async () => {
    const { err, io } = capture(false);
    expect(await main([DEMO_FILE], io)).toBe(2);
    expect(err.join("")).toMatch(/--table is required[\s\S]*usage: npm run customers:import -- --table <name>/);
  });

  it("fails a bad file before touching the table", async () => {
    const dir = mkdtempSync(join(tmpdir(), "import-"));
    writeFileSync(join(dir, "bad.json"), JSON.stringify([{ customer_id: "1" }]));
    const { err, io } = capture(false);
    expect(await main(["--table", table, join(dir, "bad.json")], io)).toBe(1);
    expect(err.join("")).toMatch(/customer at index 0: display_name[\s\S]*Nothing was written/);
    expect(await itemCount()).toBe(0);
  });

  it("names the fix for an unknown table", async () => {
    const { err, io } = capture(false);
    expect(await main(["--table", "no-such-table", DEMO_FILE], io)).toBe(1);
    expect(err.join("")).toMatch(
      /table no-such-table not found: check --table against `pulumi stack output customersTable`/,
    );
  });

  it("fits the progress line to the terminal", () => {
    expect(progressLine(4200, 10000, 10_000, 80)).toBe(
      "[#################.......................]  4,200/10,000  42%  420/s",
    );
    expect(progressLine(0, 0, 0, 20).startsWith("[##########]")).toBe(true);
  });

  it("runs as `npm run customers:import -- --table <name> <file>`", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts["customers:import"]).toBe("node scripts/customers-import.mjs");
    const child = spawnSync(
      "npm",
      [
        "run",
        "--silent",
        "customers:import",
        "--",
        "--table",
        table,
        "--endpoint",
        inject("dynamoEndpoint"),
        DEMO_FILE,
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_PROFILE: "",
        },
        timeout: 60_000,
      },
    );
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/Imported: 11 customer\(s\) into .*: 11 created/);
  }, 60_000);
});
