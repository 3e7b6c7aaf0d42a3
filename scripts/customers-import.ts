/**
 * npm run customers:import -- --table <name> [--region r] [--endpoint url] [--concurrency n] [--dry-run] <file>
 *
 * The command line of the customer import: arguments, progress and the summary. The import itself
 * (validation, comparison, batched writes) is scripts/lib/customer-import.ts.
 */
import { readFileSync } from "node:fs";
import {
  ImportFileError,
  type ImportSummary,
  importCustomers,
  parseCustomersFile,
  type Sender,
} from "./lib/customer-import.js";
import { describeError, explainAwsError, parseTableArgs, tableClient, UsageError } from "./lib/table-cli.js";

export const USAGE = `usage: npm run customers:import -- --table <name> [--region <aws region>] [--endpoint <url>] [--concurrency <n>] [--dry-run] <customers.json>

  --table        the customer table: pulumi stack output customersTable
  --region       AWS region (default: AWS_REGION / the AWS profile's region)
  --endpoint     a DynamoDB-compatible endpoint, e.g. http://127.0.0.1:8000 for a local one
  --concurrency  customers processed at once (default 8)
  --dry-run      validate and compare, write nothing
AWS credentials come from the usual chain (AWS_PROFILE, environment, SSO, instance role).`;

export interface CliArgs {
  table: string;
  file: string;
  region: string | undefined;
  endpoint: string | undefined;
  concurrency: number;
  dryRun: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs | "help" {
  let concurrency = 8;
  let dryRun = false;
  const args = parseTableArgs(argv, (flag, value) => {
    if (flag === "--concurrency") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 64)
        throw new UsageError("--concurrency must be a whole number from 1 to 64");
      concurrency = n;
    } else if (flag === "--dry-run") dryRun = true;
    else return false;
    return true;
  });
  if (args === "help") return "help";
  const { table, region, endpoint, files } = args;
  if (files.length !== 1)
    throw new UsageError(
      files.length === 0 ? "the customers file is required" : `one customers file, got ${files.length}`,
    );
  return { table, file: files[0]!, region, endpoint, concurrency, dryRun };
}

/** Where the command writes: the progress bar goes to `err` only when it is a terminal. */
export interface Io {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  client?: (args: CliArgs) => Sender;
  now?: () => number;
}

/** `[#########...........]  4,200/10,000  42%  310/s`, fitted to the terminal width. */
export function progressLine(done: number, total: number, elapsedMs: number, columns = 80): string {
  const ratio = total === 0 ? 1 : done / total;
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  const tail = `  ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}  ${Math.floor(ratio * 100)}%  ${rate.toLocaleString("en-US")}/s`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 3));
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]${tail}`;
}

export function summaryLine(table: string, s: ImportSummary): string {
  const verb = s.dryRun ? "Dry run, nothing written" : "Imported";
  return (
    `${verb}: ${s.customers} customer(s) into ${table}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged; ` +
    `${s.itemsWritten} item(s) ${s.dryRun ? "to write" : "written"}, ${s.itemsDeleted} stale item(s) ${s.dryRun ? "to delete" : "deleted"}; ${s.seconds.toFixed(1)} s\n`
  );
}

/** Runs the command; resolves to the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`customers:import: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  const cli = args;
  try {
    let text: string;
    try {
      text = readFileSync(cli.file, "utf8");
    } catch (error) {
      throw new ImportFileError([`cannot read ${cli.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
    }
    const customers = parseCustomersFile(text, cli.file);
    // Room in the retries for an on-demand table to scale up.
    const client = io.client?.(cli) ?? tableClient(cli, 10);
    const now = io.now ?? Date.now;
    const started = now();
    let lastDraw = -Infinity;
    const tty = io.err.isTTY === true;
    const summary = await importCustomers({
      client,
      table: cli.table,
      customers,
      concurrency: cli.concurrency,
      dryRun: cli.dryRun,
      onProgress: tty
        ? (done, total) => {
            const t = now();
            if (done === total || t - lastDraw >= 100) {
              lastDraw = t;
              io.err.write(`\r${progressLine(done, total, t - started, io.err.columns)}`);
            }
          }
        : undefined,
    });
    if (tty) io.err.write("\n");
    io.out.write(summaryLine(cli.table, summary));
    return 0;
  } catch (error) {
    if (io.err.isTTY) io.err.write("\n");
    io.err.write(`customers:import: ${explain(error, cli)}\n`);
    return 1;
  }
}

function explain(error: unknown, args: CliArgs): string {
  if (error instanceof ImportFileError) return `${error.message}\nNothing was written.`;
  return (
    explainAwsError(error, args, "dynamodb:Query, BatchGetItem and BatchWriteItem") ??
    `${describeError(error)}\nRe-running is safe: customers already written are recognised as unchanged.`
  );
}
