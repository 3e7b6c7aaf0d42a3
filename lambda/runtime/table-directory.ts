import { dynamoClient } from "../aws/dynamodb.js";
import type { AwsClientOptions } from "../aws/json-client.js";
import type { CustomerDirectory } from "../customers/directory.js";
import { DynamoCustomerDirectory } from "../customers/dynamo-store.js";

/**
 * The DynamoDB customer directory over the small SigV4 client: no AWS SDK to load, so the first
 * request pays for one signed HTTP call, not for the SDK's import.
 */
export function tableDirectory(tableName: string, options: AwsClientOptions = {}): CustomerDirectory {
  return new DynamoCustomerDirectory({ client: dynamoClient(options), tableName });
}
