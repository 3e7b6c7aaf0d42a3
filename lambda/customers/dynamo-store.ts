import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Customer } from "./customer.js";
import type { CustomerDirectory, ListPage, ListRequest } from "./directory.js";
import { pageFromRows, planList } from "./list-plan.js";
import {
  ATTR,
  addressPartition,
  customerFromItem,
  MATCH_INDEX,
  matchKeyPrefix,
  matchStartKey,
  profileKey,
  summaryFromIndexItem,
} from "./table-schema.js";
import { isKeyText, MAX_ADDRESS_LENGTH, MAX_CUSTOMER_ID_LENGTH } from "./validate-customer.js";

/**
 * The command classes come from the SDK the Lambda runtime ships. A static import would be hoisted
 * to the top of every ESM bundle and load the SDK at init, even in functions and requests that
 * never read customers; loaded here it costs nothing until the first query.
 */
let sdk: Promise<typeof import("@aws-sdk/client-dynamodb")> | undefined;
const commands = () => (sdk ??= import("@aws-sdk/client-dynamodb"));

/** Only `send` is used; a DynamoDBClient fits, and so does a test double. */
export type DynamoSender = Pick<DynamoDBClient, "send">;

export interface DynamoDirectoryOptions {
  /** Built by the caller (once per Lambda container), so importing this module costs nothing. */
  client: DynamoSender;
  tableName: string;
}

/**
 * The customer directory over the table in table-schema.ts. Every call is exactly one request: a
 * list page (with or without query, token or anchor) is one Query on the match index, a lookup by id
 * one GetItem, a lookup by address one Query on that address's partition. Nothing ever Scans.
 */
export class DynamoCustomerDirectory implements CustomerDirectory {
  private readonly client: DynamoSender;
  private readonly tableName: string;

  constructor(options: DynamoDirectoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async list(request: ListRequest): Promise<ListPage> {
    const plan = planList(request);
    if (plan.noSuchWorker) return { customers: [] };
    const { QueryCommand } = await commands();
    const output = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MATCH_INDEX,
        KeyConditionExpression: "#wk = :wk AND begins_with(#mk, :mk)",
        ExpressionAttributeNames: { "#wk": ATTR.workerKey, "#mk": ATTR.matchKey, "#pk": ATTR.partitionKey, "#dn": ATTR.displayName, "#av": ATTR.avatar },
        ExpressionAttributeValues: { ":wk": { S: plan.workerKey }, ":mk": { S: matchKeyPrefix(plan.searchKey) } },
        ProjectionExpression: "#pk, #dn, #av",
        // One row more than the page tells whether another page exists, so the last page carries no token.
        Limit: plan.pageSize + 1,
        ExclusiveStartKey: plan.after === undefined ? undefined : matchStartKey(plan.workerKey, plan.searchKey, plan.after),
      }),
    );
    const rows = (output.Items ?? []).map(summaryFromIndexItem);
    // Fewer rows than asked for but a LastEvaluatedKey: DynamoDB stopped at its 1 MB limit.
    return pageFromRows(plan, rows, rows.length <= plan.pageSize && output.LastEvaluatedKey !== undefined);
  }

  async getById(customerId: string): Promise<Customer | undefined> {
    if (!isKeyText(customerId, MAX_CUSTOMER_ID_LENGTH)) return undefined;
    const { GetItemCommand } = await commands();
    const output = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: profileKey(customerId) }));
    return output.Item ? customerFromItem(output.Item) : undefined;
  }

  async findByAddress(address: string): Promise<Customer | undefined> {
    if (!isKeyText(address, MAX_ADDRESS_LENGTH)) return undefined;
    const { QueryCommand } = await commands();
    const output = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": ATTR.partitionKey },
        ExpressionAttributeValues: { ":pk": { S: addressPartition(address) } },
        // Sort keys are customer ids: the first item is the lowest id, the same customer the JSON store picks.
        Limit: 1,
      }),
    );
    const item = output.Items?.[0];
    return item ? customerFromItem(item) : undefined;
  }
}
