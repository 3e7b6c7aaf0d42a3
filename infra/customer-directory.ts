/**
 * The customer table. Its layout comes from contract/table-schema.ts, the same definition
 * the DynamoDB store and the import command are tested against, so the deployed table cannot drift
 * from what the code queries. Customer data never goes through Pulumi (it would land in state and
 * in PR preview comments): `npm run customers:import` loads it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MATCH_INDEX, tableDefinition } from "../contract/table-schema.js";
import type { TableRead } from "./callbacks.js";
import { childOf } from "./child-options.js";
import type { PolicyStatement } from "./iam.js";

// The layout is fixed by the schema and billing is on demand.
export interface CustomerDirectoryArgs {
  /**
   * Deletion protection in DynamoDB (against a delete from the console, the CLI or a replacement)
   * and in Pulumi (`pulumi destroy` and a replacing `pulumi up` stop before deleting the table).
   * Default true. A throwaway stack turns it off with `pulumi config set protectCustomers false && pulumi up`.
   */
  protect?: boolean | undefined;
}

export class CustomerDirectory extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly tableName: pulumi.Output<string>;

  constructor(name: string, args: CustomerDirectoryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:aws:CustomerDirectory", name, {}, opts);
    const protect = args.protect ?? true;
    this.table = new aws.dynamodb.Table(
      "customers",
      {
        billingMode: tableDefinition.BillingMode,
        attributes: tableDefinition.AttributeDefinitions.map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
        hashKey: keyOf(tableDefinition.KeySchema, "HASH"),
        rangeKey: keyOf(tableDefinition.KeySchema, "RANGE"),
        globalSecondaryIndexes: tableDefinition.GlobalSecondaryIndexes.map((index) => ({
          name: index.IndexName,
          keySchemas: index.KeySchema.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType })),
          projectionType: index.Projection.ProjectionType,
          nonKeyAttributes: [...index.Projection.NonKeyAttributes],
        })),
        // A bad import or a mistaken delete is undone by restoring to a point in time (35 days).
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: protect,
      },
      childOf(this, { protect }),
    );
    this.tableName = this.table.name;
    this.registerOutputs({ tableName: this.tableName });
  }

  /** DynamoDB statements for exactly the given reads: the table's ARN, or the one index's ARN. */
  grants(reads: readonly TableRead[]): pulumi.Output<PolicyStatement[]> {
    return this.table.arn.apply((tableArn) => tableStatements(reads, tableArn));
  }
}

/**
 * What each read does in lambda/customers/dynamo-store.ts: a worker's list is a Query on the match
 * index, a profile a GetItem on the table, an address lookup a Query on its address partition.
 */
export function tableStatements(reads: readonly TableRead[], tableArn: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (reads.includes("getById")) {
    statements.push({ Sid: "CustomerById", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [tableArn] });
  }
  if (reads.includes("findByAddress")) {
    statements.push({ Sid: "CustomerByAddress", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [tableArn] });
  }
  if (reads.includes("listByWorker")) {
    statements.push({
      Sid: "CustomersOfWorker",
      Effect: "Allow",
      Action: ["dynamodb:Query"],
      Resource: [`${tableArn}/index/${MATCH_INDEX}`],
    });
  }
  return statements;
}

function keyOf(schema: ReadonlyArray<{ AttributeName: string; KeyType: string }>, type: "HASH" | "RANGE"): string {
  const key = schema.find((k) => k.KeyType === type);
  if (!key) throw new Error(`the customer table schema has no ${type} key`);
  return key.AttributeName;
}
