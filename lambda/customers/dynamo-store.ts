import type { Customer } from "./customer.js";
import type { CustomerDirectory, ListPage, ListRequest } from "./directory.js";
import { pageFromRows, planList } from "./list-plan.js";
import {
  ATTR,
  addressPartition,
  customerFromItem,
  type Item,
  MATCH_INDEX,
  matchKeyPrefix,
  matchStartKey,
  profileKey,
  summaryFromIndexItem,
} from "./table-schema.js";
import { isKeyText, MAX_ADDRESS_LENGTH, MAX_CUSTOMER_ID_LENGTH } from "./validate-customer.js";

/**
 * One DynamoDB JSON-protocol call: the operation name and its wire input, the parsed output back.
 * `lambda/aws/dynamodb.ts` provides it over a small SigV4 client (the SDK's clients cost more to
 * load than the whole callback); tests wrap it to count requests or fake a reply.
 */
export type DynamoSender = <O>(operation: "Query" | "GetItem", input: Record<string, unknown>) => Promise<O>;

interface QueryOutput {
  Items?: Item[];
  LastEvaluatedKey?: Item;
}

export interface DynamoDirectoryOptions {
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
    const output = await this.client<QueryOutput>("Query", {
      TableName: this.tableName,
      IndexName: MATCH_INDEX,
      KeyConditionExpression: "#wk = :wk AND begins_with(#mk, :mk)",
      ExpressionAttributeNames: {
        "#wk": ATTR.workerKey,
        "#mk": ATTR.matchKey,
        "#pk": ATTR.partitionKey,
        "#dn": ATTR.displayName,
        "#av": ATTR.avatar,
      },
      ExpressionAttributeValues: { ":wk": { S: plan.workerKey }, ":mk": { S: matchKeyPrefix(plan.searchKey) } },
      ProjectionExpression: "#pk, #dn, #av",
      // One row more than the page tells whether another page exists, so the last page carries no token.
      Limit: plan.pageSize + 1,
      ExclusiveStartKey:
        plan.after === undefined ? undefined : matchStartKey(plan.workerKey, plan.searchKey, plan.after),
    });
    const rows = (output.Items ?? []).map(summaryFromIndexItem);
    // Fewer rows than asked for but a LastEvaluatedKey: DynamoDB stopped at its 1 MB limit.
    return pageFromRows(plan, rows, rows.length <= plan.pageSize && output.LastEvaluatedKey !== undefined);
  }

  async getById(customerId: string): Promise<Customer | undefined> {
    if (!isKeyText(customerId, MAX_CUSTOMER_ID_LENGTH)) return undefined;
    const output = await this.client<{ Item?: Item }>("GetItem", {
      TableName: this.tableName,
      Key: profileKey(customerId),
    });
    return output.Item ? customerFromItem(output.Item) : undefined;
  }

  async findByAddress(address: string): Promise<Customer | undefined> {
    if (!isKeyText(address, MAX_ADDRESS_LENGTH)) return undefined;
    const output = await this.client<QueryOutput>("Query", {
      TableName: this.tableName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": ATTR.partitionKey },
      ExpressionAttributeValues: { ":pk": { S: addressPartition(address) } },
      // Sort keys are customer ids: the first item is the lowest id, the same customer the JSON store picks.
      Limit: 1,
    });
    const item = output.Items?.[0];
    return item ? customerFromItem(item) : undefined;
  }
}
