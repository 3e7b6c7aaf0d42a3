import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of an in-memory DynamoDB (dynalite) shared by the run; each suite makes its own tables. */
    dynamoEndpoint: string;
  }
}

interface DynaliteOptions {
  /** Tables stay CREATING this long; 0 makes CreateTable usable at once. */
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

/**
 * One dynalite server for the whole run, on loopback and a free port. dynalite ships no types and
 * is CommonJS, so it is required from the project root rather than imported.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(join(project.config.root, "package.json"));
  const dynalite = require("dynalite") as (options: DynaliteOptions) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  project.provide("dynamoEndpoint", `http://127.0.0.1:${port}`);
  return () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
}
