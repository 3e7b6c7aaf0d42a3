import type { CustomerDirectory } from "../customers/directory.js";

/**
 * The DynamoDB customer directory, built on first use. The SDK ships with the Lambda runtime and
 * stays out of the bundle; loading it here rather than at import keeps it off the init path of
 * functions and requests that never read customers.
 */
export async function tableDirectory(tableName: string): Promise<CustomerDirectory> {
  const [{ DynamoDBClient }, { DynamoCustomerDirectory }] = await Promise.all([
    import("@aws-sdk/client-dynamodb"),
    import("../customers/dynamo-store.js"),
  ]);
  return new DynamoCustomerDirectory({ client: new DynamoDBClient({}), tableName });
}
