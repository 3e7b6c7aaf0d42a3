// Loopback stand-ins for what a Lambda function talks to: DynamoDB (dynalite, in this process), SSM
// GetParameter (a tiny JSON 1.1 server), and the Twilio emulator (dev/twilio-emulator, bundled to
// CommonJS by esbuild). Each counts the HTTP requests it receives, so benchmarks can report them.

import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { bundleTs, OUT, requireFromRoot } from "./common.mjs";

/** The project's pieces the benchmarks call directly, bundled once from the TypeScript sources. */
export async function loadProjectLib() {
  const file = await bundleTs(
    "project-lib.mjs",
    `
export { createJsonDirectory, JsonCustomerDirectory } from "./lambda/customers/json-store.js";
export { DynamoCustomerDirectory } from "./lambda/customers/dynamo-store.js";
export { dynamoClient as sigv4DynamoClient } from "./lambda/aws/dynamodb.js";
export { itemsForCustomer, tableDefinition } from "./lambda/customers/table-schema.js";
export { handleRequest } from "./lambda/http/adapter.js";
export { fromApiGatewayEvent } from "./lambda/http/apigateway.js";
export { CALLBACKS } from "./lambda/handlers/index.js";
export { staticToken } from "./lambda/runtime/auth-token.js";
export { memoryLogger } from "./lambda/runtime/log.js";
export { DEFAULT_TEMPLATES } from "./lambda/templates/catalog.js";
`,
    { packages: "external" },
  );
  return import(file);
}

const listening = (server) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });

export async function startDynalite() {
  const dynalite = requireFromRoot("dynalite");
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const counter = { requests: 0 };
  server.on("request", () => counter.requests++);
  const endpoint = await listening(server);
  return {
    endpoint,
    counter,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export async function dynamoClient(endpoint, options = {}) {
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    ...options,
  });
}

/** Creates a table with the product's definition and loads the customers (BatchWrite, 25 a time). */
export async function createCustomerTable(client, lib, tableName, customers) {
  const { CreateTableCommand, DescribeTableCommand, BatchWriteItemCommand } = await import("@aws-sdk/client-dynamodb");
  await client.send(new CreateTableCommand({ TableName: tableName, ...lib.tableDefinition }));
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") break;
    if (attempt === 200) throw new Error(`table ${tableName} never became ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const items = customers.flatMap(lib.itemsForCustomer);
  const batches = [];
  for (let i = 0; i < items.length; i += 25)
    batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++];
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt === 5) throw new Error("BatchWriteItem keeps leaving items unprocessed");
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        pending = out.UnprocessedItems?.[tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return items.length;
}

/** Answers SSM GetParameter and GetParameters (JSON 1.1) for the given parameters; counts requests. */
export async function startFakeSsm(parameters) {
  const counter = { requests: 0 };
  const server = createServer((req, res) => {
    counter.requests++;
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const input = JSON.parse(body || "{}");
      const target = req.headers["x-amz-target"];
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (target === "AmazonSSM.GetParameters" && Array.isArray(input.Names)) {
        const known = input.Names.filter((name) => name in parameters);
        res.end(
          JSON.stringify({
            Parameters: known.map((name) => ({
              Name: name,
              Type: "SecureString",
              Value: parameters[name],
              Version: 1,
            })),
            InvalidParameters: input.Names.filter((name) => !(name in parameters)),
          }),
        );
        return;
      }
      if (target !== "AmazonSSM.GetParameter" || !(input.Name in parameters)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: "ParameterNotFound", message: "no such parameter" }));
        return;
      }
      res.end(
        JSON.stringify({
          Parameter: { Name: input.Name, Type: "SecureString", Value: parameters[input.Name], Version: 1 },
        }),
      );
    });
  });
  const endpoint = await listening(server);
  return {
    endpoint,
    counter,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Twilio emulator (dev/twilio-emulator), bundled by esbuild into a CommonJS launcher. */
export async function startEmulator() {
  const file = join(OUT, "twilio-emulator.cjs");
  await bundleTs("twilio-emulator.cjs", `export { startTwilioEmulator } from "./dev/twilio-emulator/index.js";`, {
    format: "cjs",
    packages: "external",
  });
  if (!existsSync(file)) throw new Error("emulator bundle missing");
  const { startTwilioEmulator } = requireFromRoot(file);
  return startTwilioEmulator();
}
