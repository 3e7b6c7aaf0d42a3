/**
 * What the commands that work on a stack's customer table (customers:import, templates:push/pull)
 * share on the command line: the table, region and endpoint options, and AWS errors explained with
 * the step that usually fixes them.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface TableArgs {
  table: string;
  region: string | undefined;
  endpoint: string | undefined;
  /** The positional arguments, in order. */
  files: string[];
}

/**
 * Reads `--flag value` and `--flag=value`, `-h`/`--help`, --table, --region and --endpoint; a
 * command's own options go to `own`, which returns false for a flag it does not know.
 */
export function parseTableArgs(
  argv: readonly string[],
  own: (flag: string, value: () => string) => boolean = () => false,
): TableArgs | "help" {
  let table: string | undefined;
  let region: string | undefined;
  let endpoint: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const at = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const [flag, inline] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "--table":
        table = value();
        break;
      case "--region":
        region = value();
        break;
      case "--endpoint":
        endpoint = value();
        break;
      default:
        if (own(flag, value)) break;
        if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
        files.push(arg);
    }
  }
  if (!table) throw new UsageError("--table is required (the table name: pulumi stack output customersTable)");
  return { table, region, endpoint, files };
}

/** A client for the table's region and endpoint, with the SDK's own retries (throttling, 5xx). */
export function tableClient(args: Pick<TableArgs, "region" | "endpoint">, maxAttempts: number): DynamoDBClient {
  return new DynamoDBClient({
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    maxAttempts,
  });
}

/**
 * The fix for an AWS error every table command meets (wrong table or region, no region, no
 * credentials, missing permissions); undefined for any other error.
 */
export function explainAwsError(
  error: unknown,
  args: Pick<TableArgs, "table" | "region">,
  permissions: string,
): string | undefined {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "ResourceNotFoundException") {
    return (
      `table ${args.table} not found${args.region ? ` in ${args.region}` : ""}: check --table against ` +
      "`pulumi stack output customersTable` and the region of the stack (aws:region)"
    );
  }
  if (/Region is missing/i.test(message))
    return "no AWS region: pass --region (the stack's aws:region) or set AWS_REGION";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return "no AWS credentials: set AWS_PROFILE or sign in (aws sso login) and retry";
  }
  if (name === "AccessDeniedException") return `${message}\nThe caller needs ${permissions} on ${args.table}.`;
  return undefined;
}

/** `Name: message` for an error no rule explains. */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  return `${name ? `${name}: ` : ""}${message}`;
}
