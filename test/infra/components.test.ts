/**
 * The components used from programs other than the project's own: the embed example, and the Twilio
 * account alone in a program that has no AWS at all.
 */
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { CALLBACKS } from "../../infra/callbacks.js";
import { loadLikePulumiCli, ROOT } from "./cli-load.js";
import { API_ENDPOINT, baseConfig, CREATED_MG, PROJECT, runProgram, SERVICE_SID, twilioType } from "./program.js";

describe("examples/embed: FrontlineStack inside a program of one's own", () => {
  it("runs under mocks: the whole stack under one component, next to the program's own resource", async () => {
    const run = await runProgram(baseConfig(), { program: "../../examples/embed/index.js" });
    const top = run.one("frontline:index:FrontlineStack");
    expect(run.ofType("aws:lambda/function:Function")).toHaveLength(CALLBACKS.length);
    expect(run.ofType(twilioType("ServiceWebhooks"))).toHaveLength(1);
    // Its own parameter sits at its root; Frontline's token parameter is inside the component.
    const own = run.one("aws:ssm/parameter:Parameter", "frontline-crm-url");
    expect(own.parent).not.toBe(top.urn);
    expect(run.resources.find((r) => r.urn === own.parent)).toBeUndefined();
    // The AWS provider marks a parameter's value secret whatever it holds.
    expect(own.inputs["value"]).toMatchObject({ value: `${API_ENDPOINT}/callbacks/crm` });
    expect(run.outputs["callbackUrls"]["routing"]).toBe(`${API_ENDPOINT}/callbacks/routing`);
    // The example's own argument reached the functions' log groups.
    expect(run.one("aws:cloudwatch/logGroup:LogGroup", "crm-logs").inputs["retentionInDays"]).toBe(30);
    expect(run.outputs["manualSteps"].length).toBeGreaterThan(3);
  });

  it("loads from its own Pulumi.yaml the way the Pulumi CLI does (ts-node, its tsconfig)", () => {
    // The example is its own project: its keys live in its namespace.
    const config = Object.fromEntries(
      Object.entries(baseConfig()).map(([key, value]) => [key.replace(`${PROJECT}:`, "frontline-embed:"), value]),
    );
    const { urls, types } = loadLikePulumiCli(config, ["twilio:authToken"], `${ROOT}examples/embed`);
    expect(urls["crm"]).toMatch(/^https:\/\/.+\/callbacks\/crm$/);
    expect(types["frontline:index:FrontlineStack"]).toBe(1);
    expect(types["aws:ssm/parameter:Parameter"]).toBe(2);
  });
});

describe("TwilioAccount on its own", () => {
  it("configures the Twilio account in a program with no AWS resource", async () => {
    const run = await runProgram(
      { [`${PROJECT}:conversationsServiceSid`]: SERVICE_SID, [`${PROJECT}:smsNumber`]: "+15551230001" },
      { program: "./fixtures/twilio-only-program.js", secretKeys: [] },
    );
    const custom = run.resources.filter((r) => r.custom);
    expect(custom.filter((r) => !r.type.startsWith("pulumi-nodejs:dynamic/twilio:"))).toEqual([]);
    expect(custom.map((r) => r.type.split(":").at(-1)).sort()).toEqual(
      [
        "AddressConfiguration",
        "ConversationsDefaults",
        "MessagingService",
        "SenderPoolEntry",
        "ServiceWebhooks",
      ].sort(),
    );
    expect(run.one(twilioType("ServiceWebhooks")).inputs["preWebhookUrl"]).toBe(
      "https://callbacks.example.com/callbacks/twilio-conversations",
    );
    expect(run.outputs["messagingServiceSid"]).toBe(CREATED_MG);
  });

  it("never imports @pulumi/aws, directly or through its imports", async () => {
    const imported = async (entry: string) => {
      const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        packages: "external",
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      return [...new Set(Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path)))];
    };
    const fromTwilio = await imported("infra/twilio-account.ts");
    expect(fromTwilio.filter((path) => path.startsWith("@pulumi/"))).toEqual(["@pulumi/pulumi"]);
    // The check can fail: the whole stack does pull in @pulumi/aws.
    expect(await imported("infra/frontline-stack.ts")).toContain("@pulumi/aws");
  });
});
