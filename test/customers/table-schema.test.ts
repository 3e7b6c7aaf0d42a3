import { describe, expect, it } from "vitest";
import type { Customer } from "../../lambda/customers/customer.js";
import {
  ATTR,
  customerPartition,
  itemKeysForDeletion,
  itemsForCustomer,
  MATCH_INDEX,
  matchStartKey,
  staleItemKeys,
  tableDefinition,
} from "../../lambda/customers/table-schema.js";

const ann: Customer = {
  customer_id: "7",
  display_name: "Ann Li",
  worker: "Alice@Example.com",
  channels: [
    { type: "sms", value: "+15550000001" },
    { type: "whatsapp", value: "whatsapp:+15550000001" },
    { type: "sms", value: "+15550000001" },
  ],
  avatar: "https://i.pravatar.cc/150?img=7",
};

const keys = (items: Array<Record<string, { S?: string }>>) => items.map((item) => `${item.pk?.S} | ${item.sk?.S}`);

describe("tableDefinition", () => {
  it("defines every key attribute it uses and names of at least 3 characters", () => {
    const defined = tableDefinition.AttributeDefinitions.map((a) => a.AttributeName).sort();
    const used = [
      ...tableDefinition.KeySchema,
      ...tableDefinition.GlobalSecondaryIndexes.flatMap((index) => index.KeySchema),
    ]
      .map((k) => k.AttributeName)
      .sort();
    expect(defined).toEqual([...new Set(used)]);
    expect(tableDefinition.GlobalSecondaryIndexes.map((index) => index.IndexName)).toEqual([MATCH_INDEX]);
    expect(MATCH_INDEX.length).toBeGreaterThanOrEqual(3);
  });

  it("projects what a list row needs into the index, and not the customer document", () => {
    const projection = tableDefinition.GlobalSecondaryIndexes[0].Projection;
    expect(projection.ProjectionType).toBe("INCLUDE");
    expect([...projection.NonKeyAttributes].sort()).toEqual([ATTR.avatar, ATTR.displayName].sort());
  });
});

describe("itemsForCustomer", () => {
  const items = itemsForCustomer(ann);

  it("keeps a profile, one item per search key, and an address item plus marker per distinct address", () => {
    expect(keys(items)).toEqual([
      "customer#7 | customer",
      "customer#7 | name#a",
      "customer#7 | name#an",
      "customer#7 | name#ann",
      "customer#7 | name#ann l",
      "customer#7 | name#ann li",
      "customer#7 | name#l",
      "customer#7 | name#li",
      "customer#7 | address#+15550000001",
      "address#+15550000001 | customer#7",
      "customer#7 | address#whatsapp:+15550000001",
      "address#whatsapp:+15550000001 | customer#7",
    ]);
  });

  it("puts list rows in the worker's (lowercased) index partition, in customer_id order under each search key", () => {
    const indexed = items.filter((item) => item[ATTR.matchKey]);
    expect(indexed.map((item) => item[ATTR.matchKey]?.S)).toEqual([
      "#7",
      "a#7",
      "an#7",
      "ann#7",
      "ann l#7",
      "ann li#7",
      "l#7",
      "li#7",
    ]);
    for (const item of indexed) {
      expect(item[ATTR.workerKey]).toEqual({ S: "alice@example.com" });
      expect(item[ATTR.displayName]).toEqual({ S: "Ann Li" });
      expect(item[ATTR.avatar]).toEqual({ S: ann.avatar });
    }
  });

  it("stores the whole record on the profile and on each address item", () => {
    const withDocument = items.filter((item) => item[ATTR.document]);
    expect(keys(withDocument)).toEqual([
      "customer#7 | customer",
      "address#+15550000001 | customer#7",
      "address#whatsapp:+15550000001 | customer#7",
    ]);
    for (const item of withDocument) expect(JSON.parse(item[ATTR.document]!.S!)).toEqual(ann);
  });

  it("refuses a record DynamoDB could not store as one item", () => {
    expect(() => itemsForCustomer({ ...ann, details: { title: "t", content: "x".repeat(400_000) } })).toThrow(
      RangeError,
    );
  });

  it("rebuilds a page's start key from the worker, the search key and the last id alone", () => {
    const profile = items[0]!;
    const start = matchStartKey("alice@example.com", "", "7");
    for (const name of [ATTR.partitionKey, ATTR.sortKey, ATTR.workerKey, ATTR.matchKey])
      expect(start[name]).toEqual(profile[name]);
    const nameItem = items.find((item) => item[ATTR.sortKey]?.S === "name#ann l")!;
    const searchStart = matchStartKey("alice@example.com", "ann l", "7");
    for (const name of [ATTR.partitionKey, ATTR.sortKey, ATTR.workerKey, ATTR.matchKey])
      expect(searchStart[name]).toEqual(nameItem[name]);
  });
});

describe("staleItemKeys and itemKeysForDeletion", () => {
  const existing = itemsForCustomer(ann).filter((item) => item.pk?.S === customerPartition("7"));

  it("finds nothing stale when the record is unchanged", () => {
    expect(staleItemKeys(existing, itemsForCustomer(ann))).toEqual([]);
  });

  it("finds dropped search keys and dropped addresses, including the address item behind a marker", () => {
    const renamed: Customer = { ...ann, display_name: "Ann Lee", channels: [{ type: "sms", value: "+15550000001" }] };
    expect(keys(staleItemKeys(existing, itemsForCustomer(renamed)))).toEqual([
      "customer#7 | name#ann li",
      "customer#7 | name#li",
      "customer#7 | address#whatsapp:+15550000001",
      "address#whatsapp:+15550000001 | customer#7",
    ]);
  });

  it("deletes every item of a customer, address items included", () => {
    expect(keys(itemKeysForDeletion(existing)).sort()).toEqual(keys(itemsForCustomer(ann)).sort());
  });
});
