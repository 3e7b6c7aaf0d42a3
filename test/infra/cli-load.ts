/** Runs fixtures/load-like-pulumi-cli.cjs: the program loaded as the CLI loads it, engine mocked. */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = `${resolve(__dirname, "../..")}/`;

export interface CliLoad {
  urls: Record<string, string>;
  types: Record<string, number>;
  dynamic: Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
  /** The `sid` the mocks answered for the messaging service; a real run gets Twilio's. */
  mockMessagingServiceSid: string;
}

/** `project` is the directory holding Pulumi.yaml: the repository's own, or an example's. */
export function loadLikePulumiCli(
  config: Record<string, string>,
  secretKeys = ["twilio:authToken"],
  project = ROOT,
): CliLoad {
  const child = spawnSync(process.execPath, [`${ROOT}test/infra/fixtures/load-like-pulumi-cli.cjs`, project], {
    input: JSON.stringify({ values: config, secretKeys }),
    encoding: "utf8",
    timeout: 120_000,
  });
  // ts-node 10 on Node 22 prints a deprecation notice (DEP0180); anything else is a failure.
  const errors = child.stderr
    .split("\n")
    .filter((line) => line.trim() && !/DeprecationWarning|--trace-deprecation/.test(line));
  if (child.status !== 0 || errors.length > 0) {
    throw new Error(`loading the program like the Pulumi CLI failed (exit ${child.status}):\n${errors.join("\n")}`);
  }
  return JSON.parse(child.stdout) as CliLoad;
}
