/**
 * A stack with `customDomain`: the domain and its mapping, and the domain as the one public base URL
 * (callback URLs, Twilio's webhooks, what each function verifies signatures against, the Console
 * steps), independent of the API's generated endpoint.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CALLBACKS } from "../../infra/callbacks.js";
import {
  API_ID,
  apiEndpoint,
  baseConfig,
  DOMAIN_TARGET,
  DOMAIN_ZONE,
  PROJECT,
  type ProgramRun,
  runProgram,
  twilioType,
} from "./program.js";

const T = {
  domain: "aws:apigatewayv2/domainName:DomainName",
  mapping: "aws:apigatewayv2/apiMapping:ApiMapping",
  api: "aws:apigatewayv2/api:Api",
  fn: "aws:lambda/function:Function",
  webhooks: twilioType("ServiceWebhooks"),
};
const DOMAIN = "frontline.example.com";
const BASE = `https://${DOMAIN}`;
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
const withDomain = () => ({
  ...baseConfig(),
  [`${PROJECT}:customDomain`]: DOMAIN,
  [`${PROJECT}:certificateArn`]: CERT,
});

type Step = { step: number; title: string; values: Record<string, string> };

/** Every URL the Console or Twilio holds, and what each function checks signatures against. */
const heldUrls = (run: ProgramRun) => ({
  callbackUrls: run.outputs["callbackUrls"],
  apiUrl: run.outputs["apiUrl"],
  webhooks: [run.one(T.webhooks).inputs["preWebhookUrl"], run.one(T.webhooks).inputs["postWebhookUrl"]],
  functions: CALLBACKS.map((spec) => run.one(T.fn, spec.name).inputs["environment"]["variables"]["PUBLIC_BASE_URL"]),
  manualSteps: (run.outputs["manualSteps"] as Step[])
    .filter((s) => s.title.startsWith("Frontline"))
    .map((s) => s.values),
});

describe("with customDomain", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(withDomain());
  });

  it("creates a regional domain with the certificate, mapped at its root to the API's $default stage", () => {
    const domain = run.one(T.domain);
    expect(domain.inputs).toMatchObject({
      domainName: DOMAIN,
      domainNameConfiguration: { certificateArn: CERT, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
    });
    const mapping = run.one(T.mapping);
    expect(mapping.inputs).toMatchObject({ domainName: "callbacks-domain-id", apiId: API_ID, stage: "$default" });
    // Empty key: https://<domain>/callbacks/<name>, no prefix.
    expect(mapping.inputs["apiMappingKey"] ?? "").toBe("");
    expect(mapping.deleteBeforeReplace).toBe(true);
  });

  it("puts the domain and its mapping inside the API's component", () => {
    const api = run.one("frontline:aws:CallbackApi");
    expect(run.one(T.domain).parent).toBe(api.urn);
    expect(run.one(T.mapping).parent).toBe(api.urn);
  });

  it("puts the domain in every callback URL and the API URL", () => {
    expect(run.outputs["apiUrl"]).toBe(BASE);
    const urls = run.outputs["callbackUrls"] as Record<string, string>;
    expect(Object.keys(urls)).toHaveLength(CALLBACKS.length);
    for (const spec of CALLBACKS) expect(urls[spec.urlKey], spec.name).toBe(`${BASE}${spec.path}`);
  });

  it("points Twilio's webhooks at the domain, once the mapping exists", () => {
    const webhooks = run.one(T.webhooks);
    expect(webhooks.inputs["preWebhookUrl"]).toBe(`${BASE}/callbacks/twilio-conversations`);
    expect(webhooks.inputs["postWebhookUrl"]).toBe(`${BASE}/callbacks/twilio-conversations`);
    expect(webhooks.dependsOn).toContain(run.one(T.mapping).urn);
  });

  it("has each function verify signatures against the domain", () => {
    for (const spec of CALLBACKS) {
      expect(run.one(T.fn, spec.name).inputs["environment"]["variables"]["PUBLIC_BASE_URL"], spec.name).toBe(BASE);
    }
  });

  it("exports the DNS target and makes pointing the domain at it the first Console step", () => {
    const target = { name: DOMAIN, target: DOMAIN_TARGET, hostedZoneId: DOMAIN_ZONE };
    expect(run.outputs["dnsTarget"]).toEqual(target);
    const steps = run.outputs["manualSteps"] as Step[];
    expect(steps[0]).toMatchObject({
      step: 1,
      title: "Point the custom domain at the API",
      values: { "Record name": DOMAIN, "CNAME / alias target": DOMAIN_TARGET, "Alias hosted zone ID": DOMAIN_ZONE },
    });
    const callbacks = steps.find((s) => s.title === "Frontline callbacks")!;
    for (const url of Object.values(callbacks.values)) expect(url.startsWith(`${BASE}/callbacks/`)).toBe(true);
    const routing = steps.find((s) => s.title === "Frontline routing")!;
    expect(routing.values["Custom routing callback URL"]).toBe(`${BASE}/callbacks/routing`);
  });

  it("leaves the generated API endpoint out of everything the Console and Twilio hold", () => {
    expect(JSON.stringify(heldUrls(run))).not.toContain("execute-api");
  });
});

describe("replacing the API", () => {
  it("keeps every URL the Console and Twilio hold with customDomain, and moves only the mapping", async () => {
    const before = await runProgram(withDomain());
    const after = await runProgram(withDomain(), { apiId: "zyx987wvut" });
    expect(after.one(T.mapping).inputs["apiId"]).toBe("zyx987wvut");
    expect(heldUrls(after)).toEqual(heldUrls(before));
  });

  it("changes them all without it (what the custom domain saves the operator from)", async () => {
    const before = await runProgram(baseConfig());
    const after = await runProgram(baseConfig(), { apiId: "zyx987wvut" });
    expect(after.outputs["apiUrl"]).toBe(apiEndpoint("zyx987wvut"));
    const [a, b] = [heldUrls(before), heldUrls(after)];
    for (const key of Object.keys(a) as Array<keyof typeof a>) expect(b[key], key).not.toEqual(a[key]);
  });
});

describe("first preview with customDomain", () => {
  it("already knows the URL each function verifies, before the API exists", async () => {
    const run = await runProgram(withDomain(), { preview: true });
    for (const spec of CALLBACKS) {
      expect(run.one(T.fn, spec.name).inputs["environment"]["variables"]["PUBLIC_BASE_URL"], spec.name).toBe(BASE);
    }
  });
});

describe("without customDomain", () => {
  it("creates no domain or mapping, exports no DNS target and adds no DNS step", async () => {
    const run = await runProgram(baseConfig());
    expect(run.ofType(T.domain)).toHaveLength(0);
    expect(run.ofType(T.mapping)).toHaveLength(0);
    expect(run.outputs["dnsTarget"]).toBeUndefined();
    expect((run.outputs["manualSteps"] as Step[]).some((s) => s.title.includes("domain"))).toBe(false);
  });
});

describe("configuration errors", () => {
  it("refuses customDomain together with publicBaseUrl before creating anything, naming both keys", async () => {
    const both = { ...withDomain(), [`${PROJECT}:publicBaseUrl`]: "https://cdn.example.com" };
    await expect(runProgram(both)).rejects.toThrow(
      /frontline-stack:customDomain and frontline-stack:publicBaseUrl are both set/,
    );
  });

  it("refuses a domain without its certificate, naming the fix", async () => {
    await expect(runProgram({ ...baseConfig(), [`${PROJECT}:customDomain`]: DOMAIN })).rejects.toThrow(
      /frontline-stack:customDomain needs frontline-stack:certificateArn.*pulumi config set certificateArn/,
    );
  });
});
