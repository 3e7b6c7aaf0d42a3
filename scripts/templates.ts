/**
 * npm run templates:push -- --table <name> [--region r] [--endpoint url] [--dry-run] <templates.json>
 * npm run templates:pull -- --table <name> [--region r] [--endpoint url]
 *
 * Templates as data on a deployed stack: one item in the stack's customer table (key and encoding in
 * lambda/templates/template-store.ts), read by the templates function with a cache of at most 60 s,
 * so an edit shows in the app within a minute and needs no deploy. A file is checked with the same
 * rules as TEMPLATES_FILE for `npm start`; on any error nothing is written.
 */
import { readFileSync } from "node:fs";
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { Item } from "../lambda/customers/table-schema.js";
import {
  DEFAULT_TEMPLATES,
  parseTemplates,
  type TemplateCategory,
  TemplateFileError,
} from "../lambda/templates/catalog.js";
import {
  MAX_TEMPLATES_BYTES,
  type StoredTemplates,
  TEMPLATES_KEY,
  templatesFromItem,
  templatesItem,
} from "../lambda/templates/template-store.js";
import { describeError, explainAwsError, parseTableArgs, tableClient, UsageError } from "./lib/table-cli.js";

export type Sender = Pick<DynamoDBClient, "send">;

/** Reads the stored set; undefined when none is stored (the functions then serve the bundled defaults). */
export async function readStoredTemplates(client: Sender, table: string): Promise<StoredTemplates | undefined> {
  const output = await client.send(new GetItemCommand({ TableName: table, Key: TEMPLATES_KEY, ConsistentRead: true }));
  return output.Item ? templatesFromItem(output.Item as Item) : undefined;
}

/** Checks a templates file; throws TemplateFileError naming the file and the place to fix. */
export function parseTemplatesFile(text: string, source: string): TemplateCategory[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TemplateFileError(`${source} is not valid JSON: ${reason}`);
  }
  const categories = parseTemplates(data, source);
  const bytes = Buffer.byteLength(JSON.stringify(categories));
  if (bytes > MAX_TEMPLATES_BYTES) {
    throw new TemplateFileError(
      `${source}: ${bytes} bytes of templates; at most ${MAX_TEMPLATES_BYTES} fit in one table item`,
    );
  }
  return categories;
}

/** What a push changes, one line per category, in words a person reviewing it reads. */
export function describeChanges(before: readonly TemplateCategory[], after: readonly TemplateCategory[]): string[] {
  const lines: string[] = [];
  const byName = (set: readonly TemplateCategory[]) => new Map(set.map((c) => [c.display_name, c]));
  const old = byName(before);
  const next = byName(after);
  const key = (t: { content: string; whatsAppApproved?: boolean }) =>
    JSON.stringify([t.content, t.whatsAppApproved ?? false]);
  for (const [name, category] of next) {
    const prior = old.get(name);
    if (!prior) {
      lines.push(`+ ${JSON.stringify(name)}: new category, ${category.templates.length} template(s)`);
      continue;
    }
    const was = new Set(prior.templates.map(key));
    const is = new Set(category.templates.map(key));
    const added = [...is].filter((k) => !was.has(k)).length;
    const removed = [...was].filter((k) => !is.has(k)).length;
    const reordered =
      added === 0 &&
      removed === 0 &&
      JSON.stringify(prior.templates.map(key)) !== JSON.stringify(category.templates.map(key));
    if (added || removed) {
      lines.push(`~ ${JSON.stringify(name)}: ${added} template(s) added or edited, ${removed} removed or replaced`);
    } else if (reordered) lines.push(`~ ${JSON.stringify(name)}: templates reordered`);
  }
  for (const [name, category] of old) {
    if (!next.has(name)) {
      lines.push(`- ${JSON.stringify(name)}: category removed with its ${category.templates.length} template(s)`);
    }
  }
  const order = (set: readonly TemplateCategory[]) =>
    JSON.stringify(set.map((c) => c.display_name).filter((n) => old.has(n) && next.has(n)));
  if (lines.length === 0 && order(before) !== order(after)) lines.push("~ categories reordered");
  return lines;
}

export interface PushResult {
  changes: string[];
  /** The set the functions served before: the stored one, or the bundled defaults. */
  replacedDefaults: boolean;
  written: boolean;
}

export interface PushOptions {
  client: Sender;
  table: string;
  categories: readonly TemplateCategory[];
  dryRun?: boolean;
  now?: () => Date;
}

export class ConcurrentEditError extends Error {
  override name = "ConcurrentEditError";
}

/**
 * Replaces the stored set. The write is conditional on the set read just before, so two people
 * pushing at once cannot silently overwrite each other; a retried write whose first answer was lost
 * is recognised as done.
 */
export async function pushTemplates(options: PushOptions): Promise<PushResult> {
  const { client, table, categories, dryRun = false, now = () => new Date() } = options;
  const stored = await readStoredTemplates(client, table);
  const before = stored?.categories ?? DEFAULT_TEMPLATES;
  const changes = describeChanges(before, categories);
  const identical = stored !== undefined && JSON.stringify(stored.categories) === JSON.stringify(categories);
  if (dryRun || identical) {
    return { changes: identical ? [] : changes, replacedDefaults: stored === undefined, written: false };
  }
  const item = templatesItem(categories, now().toISOString());
  try {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: item,
        ...(stored?.updatedAt
          ? {
              ConditionExpression: "updatedAt = :seen",
              ExpressionAttributeValues: { ":seen": { S: stored.updatedAt } },
            }
          : stored
            ? { ConditionExpression: "attribute_not_exists(updatedAt)" }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    const now = await readStoredTemplates(client, table);
    if (now?.updatedAt !== item["updatedAt"]?.S || JSON.stringify(now?.categories) !== JSON.stringify(categories)) {
      throw new ConcurrentEditError(
        "the stored templates changed while pushing (someone else pushed); run templates:pull, merge, and push again",
      );
    }
  }
  return { changes, replacedDefaults: stored === undefined, written: true };
}

// --- command line -------------------------------------------------------------------------------

export type Command = "push" | "pull";

export const USAGE: Record<Command, string> = {
  push: `usage: npm run templates:push -- --table <name> [--region <region>] [--endpoint <url>] [--dry-run] <file.json>

  --table     the customer table: pulumi stack output customersTable
  --region    AWS region (default: AWS_REGION / the AWS profile's region)
  --endpoint  a DynamoDB-compatible endpoint, e.g. http://127.0.0.1:8000 for a local one
  --dry-run   check the file and show what would change, write nothing
The file has the TEMPLATES_FILE shape. The functions pick the change up within 60 s.
AWS credentials come from the usual chain (AWS_PROFILE, environment, SSO, instance role).`,
  pull: `usage: npm run templates:pull -- --table <name> [--region <aws region>] [--endpoint <url>]

  Prints the templates the functions serve, as JSON a push accepts:
  npm run -s templates:pull -- --table <name> > templates.json`,
};

export interface CliArgs {
  table: string;
  file: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  dryRun: boolean;
}

export function parseArgs(command: Command, argv: readonly string[]): CliArgs | "help" {
  let dryRun = false;
  const args = parseTableArgs(argv, (flag) => {
    if (flag !== "--dry-run") return false;
    if (command !== "push") throw new UsageError("--dry-run is for templates:push");
    dryRun = true;
    return true;
  });
  if (args === "help") return "help";
  const { table, region, endpoint, files } = args;
  if (command === "push" && files.length !== 1) {
    throw new UsageError(files.length === 0 ? "the templates file is required" : `one file, got ${files.length}`);
  }
  if (command === "pull" && files.length > 0) {
    throw new UsageError("templates:pull takes no file; redirect its output instead");
  }
  return { table, file: files[0], region, endpoint, dryRun };
}

export interface Io {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  client?: (args: CliArgs) => Sender;
  now?: () => Date;
}

/** Runs a command; resolves to the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function main(command: Command, argv: readonly string[], io: Io): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parseArgs(command, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`templates:${command}: ${error.message}\n${USAGE[command]}\n`);
    return 2;
  }
  if (args === "help") {
    io.out.write(`${USAGE[command]}\n`);
    return 0;
  }
  const cli = args;
  try {
    const client = io.client?.(cli) ?? tableClient(cli, 5);
    if (command === "pull") {
      const stored = await readStoredTemplates(client, cli.table);
      io.out.write(`${JSON.stringify(stored?.categories ?? DEFAULT_TEMPLATES, null, 2)}\n`);
      io.err.write(
        stored
          ? `templates:pull: the set stored in ${cli.table}${stored.updatedAt ? `, pushed ${stored.updatedAt}` : ""}\n`
          : `templates:pull: nothing stored in ${cli.table}; these are the bundled defaults the functions serve\n`,
      );
      return 0;
    }
    let text: string;
    try {
      text = readFileSync(cli.file!, "utf8");
    } catch (error) {
      throw new TemplateFileError(`cannot read ${cli.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const categories = parseTemplatesFile(text, cli.file!);
    const result = await pushTemplates({ client, table: cli.table, categories, dryRun: cli.dryRun, now: io.now });
    const count = categories.reduce((n, c) => n + c.templates.length, 0);
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const size = `${plural(categories.length, "category", "categories")} (${plural(count, "template", "templates")})`;
    const against = result.replacedDefaults ? "the bundled defaults (nothing stored yet)" : "the stored set";
    if (result.changes.length === 0 && !result.written) {
      io.out.write(`No changes: ${cli.table} already holds these ${size}. Nothing written.\n`);
      return 0;
    }
    const listed = result.changes.map((line) => `  ${line}`).join("\n") || "  (same content, first stored copy)";
    io.out.write(`Changes against ${against}:\n${listed}\n`);
    io.out.write(
      result.written
        ? `Pushed ${size} to ${cli.table}. ` + "The functions serve them within 60 s.\n"
        : `Dry run: ${size} checked; nothing written.\n`,
    );
    return 0;
  } catch (error) {
    io.err.write(`templates:${command}: ${explain(error, cli)}\n`);
    return 1;
  }
}

function explain(error: unknown, args: CliArgs): string {
  if (error instanceof TemplateFileError) return `${error.message}\nNothing was written.`;
  if (error instanceof ConcurrentEditError) return `${error.message}\nNothing was written.`;
  return explainAwsError(error, args, "dynamodb:GetItem and dynamodb:PutItem") ?? describeError(error);
}
