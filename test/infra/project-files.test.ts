/**
 * What the Pulumi CLI itself would read: Pulumi.yaml, the sample stack file, and the program
 * loaded through ts-node as the CLI's Node.js host loads it. There is no CLI here, so this is the
 * closest check that `pulumi preview` can start.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/config.js";
import { loadLikePulumiCli, ROOT } from "./cli-load.js";
import { ACCOUNT_SID, AUTH_TOKEN, baseConfig } from "./program.js";

// js-yaml ships with @pulumi/pulumi, which reads Pulumi.yaml with it.
const yaml = require("js-yaml") as { load(text: string): any };
const root = ROOT;

describe("Pulumi project files", () => {
  const project = yaml.load(readFileSync(`${root}Pulumi.yaml`, "utf8"));

  it("names a Node.js program in infra/ with the project name the config keys use", () => {
    expect(project.name).toBe("frontline-stack");
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("infra/index.ts");
    expect(project.runtime.options.tsconfig).toBe("infra/tsconfig.json");
  });

  it("declares only project keys, and their defaults pass the program's own validation", () => {
    const declared = project.config as Record<string, { type: string; default?: unknown }>;
    for (const key of Object.keys(declared))
      expect(key, "other namespaces cannot be typed in Pulumi.yaml").not.toContain(":");
    const values: Record<string, string> = { ...baseConfig() };
    for (const [key, spec] of Object.entries(declared))
      if (spec.default !== undefined) values[`frontline-stack:${key}`] = String(spec.default);
    expect(() => parseStackConfig({ get: (k) => values[k] }, "frontline-stack", "dev")).not.toThrow();
  });

  it("ships a dev stack whose sample values are valid once the secret is set", () => {
    const stack = yaml.load(readFileSync(`${root}Pulumi.dev.yaml`, "utf8"));
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(stack.config as Record<string, unknown>)) {
      flat[key] = typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    expect(
      Object.keys(flat).some((k) => k.includes("authToken")),
      "no token, not even encrypted, in the sample",
    ).toBe(false);
    const parsed = parseStackConfig({ get: (k) => flat[k] }, "frontline-stack", "dev");
    expect(parsed.inboundMode).toBe("address-configuration");
    expect(parsed.throttle).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(flat["aws:region"]).toBeTruthy();
  });

  it("loads and runs through ts-node the way the CLI's Node.js host does", () => {
    const { urls, types } = loadLikePulumiCli({
      ...baseConfig(),
      "twilio:accountSid": ACCOUNT_SID,
      "twilio:authToken": AUTH_TOKEN,
    });
    expect(urls["crm"]).toBe("https://x.execute-api.us-east-1.amazonaws.com/callbacks/crm");
    expect(types["aws:lambda/function:Function"]).toBe(5);
  }, 120_000);
});
