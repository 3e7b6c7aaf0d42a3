import { afterAll, describe } from "vitest";
import { DynamoCustomerDirectory } from "../../lambda/customers/dynamo-store.js";
import { customerDirectoryContract } from "./contract.js";
import { createTable, loadCustomers, testClient } from "./dynamo-fixture.js";

const client = testClient();
afterAll(() => client.destroy());

describe("DynamoCustomerDirectory", () => {
  customerDirectoryContract(
    async (customers) => {
      const tableName = await createTable(client);
      await loadCustomers(client, tableName, customers);
      return new DynamoCustomerDirectory({ client, tableName });
    },
    { propertyRuns: 15 },
  );
});
