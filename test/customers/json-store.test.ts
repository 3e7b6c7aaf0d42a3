import { describe } from "vitest";
import { createJsonDirectory } from "../../lambda/customers/json-store.js";
import { customerDirectoryContract } from "./contract.js";

describe("JsonCustomerDirectory", () => {
  customerDirectoryContract(async (customers) => createJsonDirectory(customers), { propertyRuns: 100 });
});
