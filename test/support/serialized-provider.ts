/**
 * Serializing dynamic providers and running the text where the engine would: the two sides of
 * "does `__provider` work after `pulumi up` stored it".
 */
import { execFile, spawn } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";

export const REPO_ROOT = resolve(__dirname, "../..");

export interface Serialized {
  text: string;
  containsSecrets: boolean;
}

/** What `dynamic.Resource` stores, computed in this (vitest) process. */
export async function serializeProvider(provider: object): Promise<Serialized> {
  const { text, containsSecrets } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text, containsSecrets };
}

export interface EngineSerializeSpec {
  /** Repo-relative path of the resource's module, e.g. `infra/twilio/service-webhooks.ts`. */
  module: string;
  /** Exported resource class and provider factory. */
  resource: string;
  provider: string;
  args: Record<string, unknown>;
}

/** What `pulumi up` would store: the program loaded by ts-node (CommonJS) in a separate process. */
export async function serializeAsPulumiUp(
  specs: readonly EngineSerializeSpec[],
  env: Record<string, string> = {},
): Promise<Array<{ text: string; fresh: Serialized }>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["test/support/serialize-with-ts-node.cjs", JSON.stringify(specs)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Array<{ text: string; fresh: Serialized }>;
}

export interface FreshRun {
  check?: { inputs: Record<string, unknown>; failures?: unknown[] };
  create?: { id: string; outs: Record<string, unknown> };
  read?: { id?: string; props?: Record<string, unknown> };
  deleted?: boolean;
  error?: string;
}

/** Loads `text` as the host does, in a fresh Node process (cwd = repo root), and runs configure/check/create/read/delete. */
export async function runInFreshProcess(
  text: string,
  config: Record<string, string>,
  inputs: Record<string, unknown>,
  env: Record<string, string>,
): Promise<FreshRun> {
  const child = spawn(process.execPath, ["test/support/run-serialized.cjs"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(JSON.stringify({ text, config, inputs }));
  const code = await new Promise<number | null>((resolveExit) => child.once("exit", resolveExit));
  if (code !== 0 || stdout === "") throw new Error(`fresh process exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as FreshRun;
}
