import { DeleteItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Customer } from "../../lambda/customers/customer.js";
import { DynamoCustomerDirectory, type DynamoSender } from "../../lambda/customers/dynamo-store.js";
import {
  ATTR,
  addressPartition,
  customerPartition,
  type ItemKey,
  itemKeysForDeletion,
  itemsForCustomer,
  profileKey,
  staleItemKeys,
} from "../../lambda/customers/table-schema.js";
import { customerDirectoryContract } from "./contract.js";
import { createTable, loadCustomers, recordingSender, storeClient, testClient, writeItems } from "./dynamo-fixture.js";
import { ALICE, BOB, bigDirectory } from "./fixtures.js";
import { expectedIds, pageWithAnchors, pageWithTokens } from "./oracle.js";

// Tables are set up through the AWS SDK (as the import does); the directory reads through the
// functions' own SigV4 client, so the contract covers the code that runs on Lambda.
const client = testClient();
const store = storeClient();
afterAll(() => client.destroy());

describe("DynamoCustomerDirectory", () => {
  customerDirectoryContract(
    async (customers) => {
      const tableName = await createTable(client);
      await loadCustomers(client, tableName, customers);
      return new DynamoCustomerDirectory({ client: store, tableName });
    },
    { propertyRuns: 15 },
  );
});

describe("DynamoCustomerDirectory requests", () => {
  const { sender: counted, sent } = recordingSender(store);
  let directory: DynamoCustomerDirectory;
  const big = bigDirectory();

  beforeAll(async () => {
    const tableName = await createTable(client);
    await loadCustomers(client, tableName, big);
    directory = new DynamoCustomerDirectory({ client: counted, tableName });
  });

  it.each([
    ["the whole list", ""],
    ["a search", "an"],
  ])("reads each page of %s with exactly one Query (never a Scan), by token and by anchor", async (_, query) => {
    const expected = expectedIds(big, ALICE, query);
    sent.length = 0;
    const byToken = await pageWithTokens(directory, { worker: ALICE, pageSize: 11, query });
    expect(byToken.ids).toEqual(expected);
    expect(sent).toEqual(byToken.pages.map(() => "Query"));

    sent.length = 0;
    const byAnchor = await pageWithAnchors(directory, { worker: ALICE, pageSize: 11, query });
    expect(byAnchor.ids).toEqual(expected);
    expect(sent).toEqual(byAnchor.pages.map(() => "Query"));
  });

  it("looks customers up with one GetItem by id and one Query by address", async () => {
    sent.length = 0;
    const customer = big.find((c) => c.channels)!;
    expect(await directory.getById(customer.customer_id)).toEqual(customer);
    expect(await directory.findByAddress(customer.channels![0]!.value)).toEqual(customer);
    expect(await directory.getById("no-such-id")).toBeUndefined();
    expect(sent).toEqual(["GetItem", "Query", "GetItem"]);
  });

  it("does not ask the table about values no key can hold", async () => {
    sent.length = 0;
    expect(await directory.getById("")).toBeUndefined();
    expect(await directory.getById("x".repeat(300))).toBeUndefined();
    expect(await directory.findByAddress("\ud800")).toBeUndefined();
    expect(await directory.list({ worker: "", pageSize: 5 })).toEqual({ customers: [] });
    expect(sent).toEqual([]);
  });
});

describe("DynamoCustomerDirectory over a page DynamoDB cut short", () => {
  it("hands out a token when DynamoDB stops early (1 MB) with fewer rows than asked", async () => {
    const row = (id: string) => ({ pk: { S: customerPartition(id) }, dn: { S: `Name ${id}` } });
    const inputs: Array<{ ExclusiveStartKey?: Record<string, unknown>; Limit?: number }> = [];
    const client = (async (_operation: string, input: Record<string, unknown>) => {
      inputs.push(input);
      return inputs.length === 1
        ? { Items: [row("1"), row("2")], LastEvaluatedKey: { pk: { S: customerPartition("2") } } }
        : { Items: [row("3")] };
    }) as DynamoSender;
    const directory = new DynamoCustomerDirectory({ client, tableName: "customers" });
    const page = await directory.list({ worker: ALICE, pageSize: 10 });
    expect(page.customers.map((c) => c.customer_id)).toEqual(["1", "2"]);
    const next = await directory.list({ worker: ALICE, pageSize: 10, pageToken: page.nextPageToken! });
    expect(next).toEqual({ customers: [{ customer_id: "3", display_name: "Name 3" }] });
    expect(inputs[1]?.ExclusiveStartKey?.[ATTR.matchKey]).toEqual({ S: "#2" });
    expect(inputs[1]?.Limit).toBe(11);
  });
});

describe("importing over existing customers (itemsForCustomer + staleItemKeys)", () => {
  let tableName: string;
  let directory: DynamoCustomerDirectory;

  const partitionItems = async (customerId: string) =>
    (
      await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "#pk = :pk",
          ExpressionAttributeNames: { "#pk": ATTR.partitionKey, "#sk": ATTR.sortKey },
          ExpressionAttributeValues: { ":pk": { S: customerPartition(customerId) } },
          ProjectionExpression: "#pk, #sk",
        }),
      )
    ).Items ?? [];

  const deleteKeys = async (keys: ItemKey[]) => {
    for (const Key of keys) await client.send(new DeleteItemCommand({ TableName: tableName, Key }));
  };

  const upsert = async (customer: Customer) => {
    const fresh = itemsForCustomer(customer);
    const stale = staleItemKeys(await partitionItems(customer.customer_id), fresh);
    await writeItems(client, tableName, fresh);
    await deleteKeys(stale);
  };

  const ann: Customer = {
    customer_id: "c1",
    display_name: "Ann Smith",
    worker: "alice@example.com",
    channels: [
      { type: "sms", value: "+15550000001" },
      { type: "whatsapp", value: "whatsapp:+15550000001" },
    ],
  };
  const zed: Customer = {
    customer_id: "c2",
    display_name: "Zed Smith",
    worker: "bob@example.com",
    channels: [{ type: "sms", value: "+15550000001" }],
  };

  beforeAll(async () => {
    tableName = await createTable(client);
    directory = new DynamoCustomerDirectory({ client: store, tableName });
    await upsert(ann);
    await upsert(zed);
  });

  it("replaces name, worker and channels without leaving stale rows or addresses", async () => {
    const moved: Customer = {
      ...ann,
      display_name: "Annabel Jones",
      worker: "carol@example.com",
      channels: [{ type: "sms", value: "+15550000099" }],
    };
    await upsert(moved);

    expect(await directory.getById("c1")).toEqual(moved);
    expect(await directory.list({ worker: ALICE, pageSize: 10 })).toEqual({ customers: [] });
    expect(await directory.list({ worker: "carol@example.com", pageSize: 10, query: "smith" })).toEqual({
      customers: [],
    });
    expect((await directory.list({ worker: "carol@example.com", pageSize: 10, query: "jon" })).customers).toEqual([
      { customer_id: "c1", display_name: "Annabel Jones" },
    ]);
    expect(await directory.findByAddress("whatsapp:+15550000001")).toBeUndefined();
    expect((await directory.findByAddress("+15550000099"))?.customer_id).toBe("c1");
    // Ann dropped the number she shared with Zed: it is Zed's now, not gone.
    expect((await directory.findByAddress("+15550000001"))?.customer_id).toBe("c2");
    expect(staleItemKeys(await partitionItems("c1"), itemsForCustomer(moved))).toEqual([]);
  });

  it("removes a customer entirely with itemKeysForDeletion", async () => {
    await deleteKeys(itemKeysForDeletion(await partitionItems("c2")));
    expect(await directory.getById("c2")).toBeUndefined();
    expect(await directory.findByAddress("+15550000001")).toBeUndefined();
    expect(await directory.list({ worker: BOB, pageSize: 10 })).toEqual({ customers: [] });
    expect(await partitionItems("c2")).toEqual([]);
  });
});

describe("stored documents", () => {
  it("names the item, never its content, when a document is damaged", async () => {
    const tableName = await createTable(client);
    await writeItems(client, tableName, [{ ...profileKey("c9"), [ATTR.document]: { S: "{secret name" } }]);
    const directory = new DynamoCustomerDirectory({ client: store, tableName });
    const failure = directory.getById("c9");
    await expect(failure).rejects.toThrow("customer#c9");
    await expect(failure).rejects.not.toThrow("secret");
  });

  it("names the customer, never the phone number, when an address copy is damaged", async () => {
    const tableName = await createTable(client);
    const pk = addressPartition("+15550000042");
    await writeItems(client, tableName, [
      { [ATTR.partitionKey]: { S: pk }, [ATTR.sortKey]: { S: "customer#c9" }, [ATTR.document]: { S: "{secret" } },
    ]);
    const failure = new DynamoCustomerDirectory({ client: store, tableName }).findByAddress("+15550000042");
    await expect(failure).rejects.toThrow("customer#c9");
    await expect(failure).rejects.not.toThrow("15550000042");
  });
});
