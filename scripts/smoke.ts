/**
 * npm run smoke -- --url <base> [--worker <identity>] [--json]
 *
 * Checks a running callback service the way Frontline and Twilio call it: signed requests with
 * realistic parameters to each callback, the answer's status, shape and latency, and the signature
 * gate. It writes nothing to Twilio or the customer table. The checks are in scripts/smoke/.
 */
import { parseArgs } from "node:util";
import { formatJson, formatTable } from "./smoke/report.js";
import { type Limits, runSmoke } from "./smoke/run.js";

/** The demo data's first worker: what `npm start` serves out of the box. */
export const DEFAULT_SMOKE_WORKER = "alice@example.com";

export const USAGE =
  "usage: npm run smoke -- --url <base URL> [--worker <identity>] [--json]  (TWILIO_AUTH_TOKEN in the environment)";

export interface Io {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  /** For tests: faster limits, so a deliberately slow server fails in milliseconds. */
  limits?: Partial<Limits>;
}

interface CliArgs {
  url: string;
  worker: string;
  json: boolean;
  authToken: string;
}

class UsageError extends Error {}

function parse(argv: readonly string[], env: Io["env"]): CliArgs | "help" {
  let values: { url?: string; worker?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: "string" },
        worker: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs explains in one sentence, with a hint that names the option.
    throw new UsageError((error instanceof Error ? error.message : String(error)).split("\n")[0]!);
  }
  if (values.help) return "help";
  if (!values.url)
    throw new UsageError("--url is required (the stack's apiUrl, or http://127.0.0.1:3000 for npm start)");
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url ${values.url} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError("--url must start with https:// or http://");
  if (url.search || url.hash) throw new UsageError("--url is the base only, without a query or fragment");
  const worker = values.worker?.trim() ?? DEFAULT_SMOKE_WORKER;
  if (!worker) throw new UsageError("--worker must not be empty");
  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  if (!authToken)
    throw new UsageError("TWILIO_AUTH_TOKEN is not set: export the Auth Token of the account the stack serves");
  return { url: values.url, worker, json: values.json === true, authToken };
}

/** Exit codes: 0 every check passed, 1 a check failed, 2 usage. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parse(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`smoke: ${error.message}; ${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  const report = await runSmoke({
    baseUrl: args.url,
    authToken: args.authToken,
    worker: args.worker,
    accountSid: io.env.TWILIO_ACCOUNT_SID?.trim() || undefined,
    serviceSid: io.env.CONVERSATIONS_SERVICE_SID?.trim() || undefined,
    limits: io.limits,
  });
  io.out.write(args.json ? formatJson(report) : formatTable(report));
  return report.passed ? 0 : 1;
}
