/**
 * examples/twilio-account, the Twilio-only project: its files are what the Pulumi CLI reads, its
 * config is checked key by key, and its program (the one the engine test runs under the real CLI)
 * builds only the Twilio resources, pointed at callbackBaseUrl.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTwilioAccountConfig } from "../../examples/twilio-account/program.js";
import { StackConfigError } from "../../infra/config.js";
import { CREATED_MG, PROJECT, runProgram, SERVICE_SID, twilioType } from "../infra/program.js";

// js-yaml ships with @pulumi/pulumi, which reads Pulumi.yaml with it.
const yaml = require("js-yaml") as {
  load(text: string): { main: string; runtime: { name: string; options: { tsconfig: string } } };
};
const ROOT = join(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "twilio-account");
const ACCOUNT_SID = "AC" + "1".repeat(32);

const raw = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const valid = (): Record<string, string> => ({
  "twilio:accountSid": ACCOUNT_SID,
  [`${PROJECT}:conversationsServiceSid`]: SERVICE_SID,
  [`${PROJECT}:smsNumber`]: "+15551230001",
  [`${PROJECT}:callbackBaseUrl`]: "https://frontline.example.com/",
});

describe("examples/twilio-account project files", () => {
  const project = yaml.load(readFileSync(join(EXAMPLE, "Pulumi.yaml"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(EXAMPLE, "package.json"), "utf8"));
  const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

  it("is a Node.js project of its own with a tsconfig ts-node can load the shared .ts sources with", () => {
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("index.ts");
    expect(project.runtime.options.tsconfig).toBe("tsconfig.json");
    const tsconfig = JSON.parse(readFileSync(join(EXAMPLE, "tsconfig.json"), "utf8"));
    expect(tsconfig["ts-node"]).toEqual({ experimentalResolver: true });
  });

  it("depends on no Pulumi package but the SDK, so the CLI looks for no provider plugin", () => {
    const all = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(all.filter((name) => name.startsWith("@pulumi/"))).toEqual(["@pulumi/pulumi"]);
    const lock = JSON.parse(readFileSync(join(EXAMPLE, "package-lock.json"), "utf8"));
    expect(Object.keys(lock.packages).filter((path) => path.includes("node_modules/@pulumi/"))).toEqual([
      "node_modules/@pulumi/pulumi",
    ]);
  });

  it("pins the same versions as the repository, so the shared infra/ code and the project agree", () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(`${name}@${rootPkg.dependencies[name] ?? rootPkg.devDependencies[name]}`).toBe(`${name}@${version}`);
    }
  });
});

describe("examples/twilio-account config", () => {
  it("takes an https origin and drops a trailing slash", () => {
    const config = parseTwilioAccountConfig(raw(valid()), PROJECT, "dev");
    expect(config.callbackBaseUrl).toBe("https://frontline.example.com");
    expect(config.inboundMode).toBe("address-configuration");
  });

  it("names every missing or malformed key with its fix, at once", () => {
    const values = valid();
    delete values[`${PROJECT}:callbackBaseUrl`];
    values[`${PROJECT}:smsNumber`] = "5551230001";
    let problems: readonly string[] = [];
    try {
      parseTwilioAccountConfig(raw(values), PROJECT, "dev");
    } catch (error) {
      expect(error).toBeInstanceOf(StackConfigError);
      problems = (error as StackConfigError).problems;
    }
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(`${PROJECT}:smsNumber must be an E.164 number`);
    expect(problems[1]).toContain(`${PROJECT}:callbackBaseUrl is required`);
    expect(problems[1]).toContain("pulumi config set callbackBaseUrl https://");
  });

  it.each(["http://frontline.example.com", "https://frontline.example.com/base", "frontline.example.com"])(
    "refuses %s",
    (url) => {
      expect(() =>
        parseTwilioAccountConfig(raw({ ...valid(), [`${PROJECT}:callbackBaseUrl`]: url }), PROJECT, "dev"),
      ).toThrow(`${PROJECT}:callbackBaseUrl must be an https origin without a path`);
    },
  );
});

describe("examples/twilio-account program", () => {
  it("builds the Twilio resources only, the conversations webhook at callbackBaseUrl", async () => {
    const run = await runProgram(
      { ...valid(), "twilio:authToken": "f00d".repeat(8) },
      { program: "../../examples/twilio-account/index.js" },
    );
    const custom = run.resources.filter((r) => r.custom);
    expect(custom.filter((r) => !r.type.startsWith("pulumi-nodejs:dynamic/twilio:"))).toEqual([]);
    expect(custom).toHaveLength(5);
    expect(run.one("frontline:twilio:TwilioAccount").name).toBe("twilio");
    const hooks = run.one(twilioType("ServiceWebhooks")).inputs;
    expect(hooks["preWebhookUrl"]).toBe("https://frontline.example.com/callbacks/twilio-conversations");
    expect(hooks["postWebhookUrl"]).toBe(hooks["preWebhookUrl"]);
    expect(run.outputs["callbackUrls"]["crm"]).toBe("https://frontline.example.com/callbacks/crm");
    expect(run.outputs["messagingServiceSid"]).toBe(CREATED_MG);
  });
});
