import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { dynamoClient } from "../../lambda/aws/dynamodb.js";
import type { Customer } from "../../lambda/customers/customer.js";
import type { DynamoSender } from "../../lambda/customers/dynamo-store.js";
import { type Item, itemsForCustomer, tableDefinition } from "../../lambda/customers/table-schema.js";

/** A client for the run's dynalite: loopback only, dummy credentials, no retries hiding a bad request. */
export function testClient(): DynamoDBClient {
  const endpoint = inject("dynamoEndpoint");
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint))
    throw new Error(`refusing a non-loopback DynamoDB endpoint: ${endpoint}`);
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/**
 * What the functions use to reach DynamoDB: the SigV4 client over node:http (lambda/aws), pointed
 * at the run's dynalite the way Lambda would be, through AWS_ENDPOINT_URL_DYNAMODB.
 */
export function storeClient(): DynamoSender {
  const endpoint = inject("dynamoEndpoint");
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint))
    throw new Error(`refusing a non-loopback DynamoDB endpoint: ${endpoint}`);
  return dynamoClient({
    env: {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    },
    maxAttempts: 1,
  });
}

/** Wraps a sender to record each operation it sends (one entry per call). */
export function recordingSender(inner: DynamoSender): { sender: DynamoSender; sent: string[] } {
  const sent: string[] = [];
  const sender: DynamoSender = (operation, input) => {
    sent.push(operation);
    return inner(operation, input);
  };
  return { sender, sent };
}

let tables = 0;

/** A new, empty table named for this worker process so suites never share data. */
export async function createTable(client: DynamoDBClient, label = "customers"): Promise<string> {
  const tableName = `${label}-${process.pid}-${++tables}-${Math.random().toString(36).slice(2, 8)}`;
  await client.send(new CreateTableCommand({ TableName: tableName, ...tableDefinition }));
  // Even with createTableMs 0, dynalite turns the table ACTIVE on a later tick.
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return tableName;
    if (attempt === 100) throw new Error(`table ${tableName} never became ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Writes items the way an import would: batches of 25, resending what DynamoDB leaves unprocessed. */
export async function writeItems(client: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25)
    batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
  await runLimited(batches, 8, async (batch) => {
    let pending: WriteRequest[] | undefined = batch;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt === 5) throw new Error("BatchWriteItem keeps leaving items unprocessed");
      const output: BatchWriteItemCommandOutput = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = output.UnprocessedItems?.[tableName];
    }
  });
}

export async function loadCustomers(
  client: DynamoDBClient,
  tableName: string,
  customers: readonly Customer[],
): Promise<void> {
  await writeItems(client, tableName, customers.flatMap(itemsForCustomer));
}

async function runLimited<T>(work: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < work.length) await task(work[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, work.length) }, worker));
}

/** Records the name of every command sent through `client` (one entry per send, before any retry). */
export function recordCommands(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? "unknown");
      return next(args);
    },
    { step: "initialize", name: "recordCommands" },
  );
  return sent;
}
