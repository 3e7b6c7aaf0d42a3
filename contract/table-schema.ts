import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The customer table: one table, string keys `pk`/`sk`, one sparse GSI.
 *
 * | item            | pk                  | sk                  | other attributes                                  |
 * |-----------------|---------------------|---------------------|---------------------------------------------------|
 * | profile         | `customer#<id>`     | `customer`          | doc (the Customer as JSON), wk, mk = `#<id>`, dn, av |
 * | search key      | `customer#<id>`     | `name#<key>`        | wk, mk = `<key>#<id>`, dn, av                      |
 * | address marker  | `customer#<id>`     | `address#<value>`   | (none: it only names the address item)             |
 * | address         | `address#<value>`   | `customer#<id>`     | doc                                               |
 *
 * GSI `byWorkerMatch` (wk, mk), projecting dn and av: a worker's customers whose name has search key
 * `<key>` are exactly the index rows `wk = lower(worker) AND begins_with(mk, "<key>#")`, in customer_id
 * order, each customer once (keys are distinct per customer). The profile carries the empty key, so the
 * unfiltered list is the same query with `begins_with(mk, "#")`. A page after customer X is that query
 * with ExclusiveStartKey rebuilt from X alone (see `matchStartKey`); nothing is read first.
 *
 * Every item of a customer lives in its partition, or (address items) is named by a marker there, so an
 * import finds a customer's stale items with one Query on `customer#<id>` (see `staleItemKeys`).
 * Address items are keyed by customer too, so customers sharing a number never overwrite each other's
 * item; a lookup takes the lowest customer_id, as the JSON store does.
 *
 * This file is the table's shape, shared by the functions, the import and the Pulumi program; how a
 * customer becomes items is lambda/customers/table-schema.ts.
 */
export const ATTR = {
  partitionKey: "pk",
  sortKey: "sk",
  workerKey: "wk",
  matchKey: "mk",
  document: "doc",
  displayName: "dn",
  avatar: "av",
} as const;

export const MATCH_INDEX = "byWorkerMatch";

/**
 * CreateTable input without the table name, in the DynamoDB API's own shape. The Pulumi program maps
 * it onto `aws.dynamodb.Table` (attributes, hashKey/rangeKey, globalSecondaryIndexes) so tests and the
 * deployed table cannot drift apart.
 */
export const tableDefinition = {
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    { AttributeName: ATTR.partitionKey, AttributeType: "S" },
    { AttributeName: ATTR.sortKey, AttributeType: "S" },
    { AttributeName: ATTR.workerKey, AttributeType: "S" },
    { AttributeName: ATTR.matchKey, AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: ATTR.partitionKey, KeyType: "HASH" },
    { AttributeName: ATTR.sortKey, KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: MATCH_INDEX,
      KeySchema: [
        { AttributeName: ATTR.workerKey, KeyType: "HASH" },
        { AttributeName: ATTR.matchKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [ATTR.displayName, ATTR.avatar] },
    },
  ],
} as const satisfies Omit<CreateTableCommandInput, "TableName">;
