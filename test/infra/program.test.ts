/**
 * The whole resource graph under mocks: what each stack configuration creates, how the parts are
 * wired, and the security rules (least privilege, token only in SSM). Each run re-evaluates
 * infra/index.ts from scratch with its own config.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLambdaBundles } from "../../build/lambda-bundles.cjs";
import { CALLBACKS } from "../../infra/callbacks.js";
import { MATCH_INDEX, tableDefinition } from "../../lambda/customers/table-schema.js";
import {
  ACCOUNT_SID,
  ADOPTED_MG,
  API_ENDPOINT,
  AUTH_TOKEN,
  baseConfig,
  CREATED_MG,
  PROJECT,
  type ProgramRun,
  type Registered,
  runProgram,
  SERVICE_SID,
  twilioType,
  UNKNOWN,
} from "./program.js";

const T = {
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  api: "aws:apigatewayv2/api:Api",
  stage: "aws:apigatewayv2/stage:Stage",
  integration: "aws:apigatewayv2/integration:Integration",
  route: "aws:apigatewayv2/route:Route",
  permission: "aws:lambda/permission:Permission",
  parameter: "aws:ssm/parameter:Parameter",
  table: "aws:dynamodb/table:Table",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  monitoring: "frontline:aws:Monitoring",
  webhooks: twilioType("ServiceWebhooks"),
  messagingService: twilioType("MessagingService"),
  senderPool: twilioType("SenderPoolEntry"),
  defaults: twilioType("ConversationsDefaults"),
  address: twilioType("AddressConfiguration"),
};

const EXPECTED_URL_KEYS = ["conversations", "crm", "outgoingConversation", "routing", "templates"];

const fnByCallback = (run: ProgramRun, name: string) => run.one(T.fn, name);

describe("default stack (required keys only)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(baseConfig());
  });

  it("creates exactly the expected resources", () => {
    const counts: Record<string, number> = {};
    for (const r of run.resources.filter((r) => r.custom)) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      [T.fn]: 5,
      [T.role]: 5,
      [T.policy]: 5,
      [T.logGroup]: 6,
      [T.api]: 1,
      [T.stage]: 1,
      [T.integration]: 5,
      [T.route]: 5,
      [T.permission]: 5,
      [T.parameter]: 1,
      [T.table]: 1,
      // Alarms and the dashboard always; the email topic only with alarmEmail.
      [T.alarm]: 17,
      [T.dashboard]: 1,
      [T.webhooks]: 1,
      [T.messagingService]: 1,
      [T.senderPool]: 1,
      [T.defaults]: 1,
      [T.address]: 1,
    });
  });

  it("runs every function on Node.js 22, arm64, with the bundle's handler and the chosen sizing", () => {
    for (const spec of CALLBACKS) {
      const fn = fnByCallback(run, spec.name).inputs;
      expect(fn["runtime"], spec.name).toBe("nodejs22.x");
      expect(fn["architectures"], spec.name).toEqual(["arm64"]);
      expect(fn["handler"], spec.name).toBe("index.handler");
      expect(fn["memorySize"], spec.name).toBe(spec.memoryMb);
      // Frontline waits a bit under 7 s, Conversations webhooks 5 s.
      expect(fn["timeout"], spec.name).toBeLessThanOrEqual(spec.name === "twilio-conversations" ? 5 : 6);
    }
  });

  it("ships each function the bundle built from its own entry, byte for byte", async () => {
    const built = new Map((await buildLambdaBundles({ write: false })).map((b) => [b.callback, b.sha256]));
    for (const spec of CALLBACKS) {
      const code = fnByCallback(run, spec.name).inputs["code"] as pulumi.asset.AssetArchive;
      const assets = await code.assets;
      expect(Object.keys(assets), spec.name).toEqual(["index.mjs"]);
      const text = await (assets["index.mjs"] as pulumi.asset.StringAsset).text;
      expect(text, spec.name).toBeDefined();
      expect(createHash("sha256").update(Buffer.from(text!, "utf8")).digest("hex"), spec.name).toBe(
        built.get(spec.name),
      );
    }
  });

  it("gives each function only the settings its code reads", () => {
    const parameterName = run.one(T.parameter).inputs["name"];
    const table = run.one(T.table).state["name"];
    const common = {
      PUBLIC_BASE_URL: API_ENDPOINT,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN_PARAMETER: parameterName,
    };
    const env = (name: string) => fnByCallback(run, name).inputs["environment"]["variables"];
    expect(env("crm")).toEqual({ ...common, CUSTOMERS_TABLE: table });
    expect(env("templates")).toEqual({ ...common, CUSTOMERS_TABLE: table });
    expect(env("outgoing-conversation")).toEqual({ ...common, TWILIO_SMS_NUMBER: "+15551230001" });
    expect(env("routing")).toEqual({ ...common, CUSTOMERS_TABLE: table, CONVERSATIONS_SERVICE_SID: SERVICE_SID });
    expect(env("twilio-conversations")).toEqual({
      ...common,
      CUSTOMERS_TABLE: table,
      CONVERSATIONS_SERVICE_SID: SERVICE_SID,
    });
  });

  it("logs each function to its own log group with the default 14-day retention", () => {
    const groups = run.ofType(T.logGroup);
    for (const group of groups) expect(group.inputs["retentionInDays"], group.name).toBe(14);
    const used = new Set<string>();
    for (const spec of CALLBACKS) {
      const logGroup = fnByCallback(run, spec.name).inputs["loggingConfig"]["logGroup"];
      expect(run.one(T.logGroup, `${spec.name}-logs`).state["name"]).toBe(logGroup);
      used.add(logGroup);
    }
    expect(used.size).toBe(5);
  });

  it("serves POST /callbacks/<callback> per function through an HTTP API with a throttled, logged $default stage", () => {
    expect(run.one(T.api).inputs["protocolType"]).toBe("HTTP");
    const stage = run.one(T.stage).inputs;
    expect(stage["name"]).toBe("$default");
    expect(stage["autoDeploy"]).toBe(true);
    expect(stage["defaultRouteSettings"]).toMatchObject({ throttlingRateLimit: 50, throttlingBurstLimit: 100 });
    const accessLogs = run.one(T.logGroup, "callbacks-access-logs").state;
    expect(stage["accessLogSettings"]["destinationArn"]).toBe(accessLogs["arn"]);
    expect(Object.keys(JSON.parse(stage["accessLogSettings"]["format"]))).toEqual(
      expect.arrayContaining(["requestId", "routeKey", "status"]),
    );

    expect(
      run
        .ofType(T.route)
        .map((r) => r.inputs["routeKey"])
        .sort(),
    ).toEqual(CALLBACKS.map((s) => `POST ${s.path}`).sort());
    for (const spec of CALLBACKS) {
      const fn = fnByCallback(run, spec.name).state;
      const route = run.one(T.route, `${spec.name}-route`).inputs;
      const integration = run.one(T.integration, `${spec.name}-integration`);
      expect(route["target"]).toBe(`integrations/${spec.name}-integration-id`);
      expect(integration.inputs).toMatchObject({
        integrationType: "AWS_PROXY",
        payloadFormatVersion: "2.0",
        integrationUri: fn["invokeArn"],
      });
      const permission = run.one(T.permission, `${spec.name}-invoke`).inputs;
      expect(permission).toMatchObject({
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        function: fn["name"],
        sourceArn: `arn:aws:execute-api:us-east-1:123456789012:abc123defg/*/POST${spec.path}`,
      });
      // The integration exists only once API Gateway may invoke the function.
      expect(integration.dependsOn).toContain(run.one(T.permission, `${spec.name}-invoke`).urn);
    }
  });

  it("keeps customers in an on-demand, deletion-protected table with point-in-time recovery, laid out as read", () => {
    const table = run.one(T.table).inputs;
    expect(table["billingMode"]).toBe("PAY_PER_REQUEST");
    expect(table["pointInTimeRecovery"]).toEqual({ enabled: true });
    // DynamoDB refuses a delete from anywhere; Pulumi refuses destroy and a replacement.
    expect(table["deletionProtectionEnabled"]).toBe(true);
    expect(run.one(T.table).protect).toBe(true);
    expect(table["hashKey"]).toBe("pk");
    expect(table["rangeKey"]).toBe("sk");
    expect(table["attributes"]).toEqual(
      tableDefinition.AttributeDefinitions.map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
    );
    expect(table["globalSecondaryIndexes"]).toEqual([
      {
        name: MATCH_INDEX,
        keySchemas: [
          { attributeName: "wk", keyType: "HASH" },
          { attributeName: "mk", keyType: "RANGE" },
        ],
        projectionType: "INCLUDE",
        nonKeyAttributes: ["dn", "av"],
      },
    ]);
  });

  it("stores the Auth Token as an SSM SecureString and nowhere else", () => {
    const parameter = run.one(T.parameter).inputs;
    expect(parameter["type"]).toBe("SecureString");
    // Registered as a secret, so state holds it encrypted.
    expect(parameter["value"]).toEqual({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: AUTH_TOKEN,
    });
    expect(parameter["name"]).toBe(`/${PROJECT}/dev/twilio-auth-token`);
    const carriers = run.resources.filter((r) => JSON.stringify(r.inputs).includes(AUTH_TOKEN)).map((r) => r.type);
    expect(carriers).toEqual([T.parameter]);
    expect(JSON.stringify(run.outputs)).not.toContain(AUTH_TOKEN);
  });

  it("protects no other resource from destroy", () => {
    expect(run.resources.filter((r) => r.protect).map((r) => r.type)).toEqual([T.table]);
  });

  it("exports the API URL, one https URL per callback, the table name and the messaging service", () => {
    expect(run.outputs["apiUrl"]).toBe(API_ENDPOINT);
    const urls = run.outputs["callbackUrls"] as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(EXPECTED_URL_KEYS);
    expect(urls).toEqual({
      crm: `${API_ENDPOINT}/callbacks/crm`,
      outgoingConversation: `${API_ENDPOINT}/callbacks/outgoing-conversation`,
      templates: `${API_ENDPOINT}/callbacks/templates`,
      routing: `${API_ENDPOINT}/callbacks/routing`,
      conversations: `${API_ENDPOINT}/callbacks/twilio-conversations`,
    });
    expect(run.outputs["customersTable"]).toBe(run.one(T.table).state["name"]);
    expect(run.outputs["messagingServiceSid"]).toBe(CREATED_MG);
  });

  it("points the Frontline service's webhooks at the deployed Conversations callback, after its route exists", () => {
    const webhooks = run.one(T.webhooks);
    const url = (run.outputs["callbackUrls"] as Record<string, string>)["conversations"];
    expect(webhooks.inputs).toMatchObject({
      conversationServiceSid: SERVICE_SID,
      preWebhookUrl: url,
      postWebhookUrl: url,
      filters: ["onConversationAdd", "onParticipantAdded"],
    });
    const waitsFor = new Set(webhooks.dependsOn);
    for (const spec of CALLBACKS)
      expect(waitsFor.has(run.one(T.route, `${spec.name}-route`).urn), spec.name).toBe(true);
    expect(waitsFor.has(run.one(T.stage).urn)).toBe(true);
  });

  it("creates a messaging service, pools the SMS number, and makes them the account's Conversations defaults", () => {
    expect(run.one(T.messagingService).inputs).toMatchObject({ friendlyName: "Frontline dev" });
    expect(run.one(T.messagingService).inputs["adoptSid"]).toBeUndefined();
    expect(run.one(T.senderPool).inputs).toMatchObject({
      messagingServiceSid: CREATED_MG,
      phoneNumber: "+15551230001",
    });
    const defaults = run.one(T.defaults);
    expect(defaults.inputs).toMatchObject({
      defaultChatServiceSid: SERVICE_SID,
      defaultMessagingServiceSid: CREATED_MG,
    });
    expect(defaults.dependsOn).toContain(run.one(T.senderPool).urn);
  });

  it("turns on inbound autocreation for the SMS number last (address-configuration is the default mode)", () => {
    const address = run.one(T.address);
    expect(address.inputs).toMatchObject({ address: "+15551230001", conversationServiceSid: SERVICE_SID });
    expect(address.dependsOn).toEqual(expect.arrayContaining([run.one(T.webhooks).urn, run.one(T.defaults).urn]));
  });

  it("hides the serialized provider code from every Twilio resource's diff", () => {
    const dynamic = run.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    expect(dynamic).toHaveLength(5);
    for (const resource of dynamic) {
      expect(typeof resource.inputs["__provider"], resource.name).toBe("string");
      expect(resource.hideDiffs, resource.name).toEqual(["__provider"]);
    }
  });

  it("lists the Console-only steps in order with the values to paste", () => {
    const steps = run.outputs["manualSteps"] as Array<{ step: number; title: string; values: Record<string, string> }>;
    const urls = run.outputs["callbackUrls"] as Record<string, string>;
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.map((s) => s.title)).toEqual([
      "Single sign-on",
      "Let Conversations handle inbound messages",
      "Frontline callbacks",
      "Frontline routing",
    ]);
    const byTitle = Object.fromEntries(steps.map((s) => [s.title, s.values]));
    expect(byTitle["Frontline callbacks"]).toEqual({
      "CRM Callback URL": urls["crm"],
      "Outgoing Conversations Callback URL": urls["outgoingConversation"],
      "Templates Callback URL": urls["templates"],
    });
    expect(byTitle["Frontline routing"]).toEqual({
      "Routing type": "Custom routing",
      "Custom routing callback URL": urls["routing"],
    });
    expect(byTitle["Let Conversations handle inbound messages"]).toMatchObject({
      "Handle Inbound Messages with Conversations": "Unlocked",
    });
  });
});

describe("component tree", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(baseConfig());
  });
  const componentOf = (r: Registered) => run.resources.find((c) => !c.custom && c.urn === r.parent);

  it("groups everything under one FrontlineStack: the API, a function per callback, the table, the token, Twilio", () => {
    const top = run.one("frontline:index:FrontlineStack");
    const children = run.resources.filter((r) => r.parent === top.urn).map((r) => `${r.type}::${r.name}`);
    expect(children.sort()).toEqual(
      [
        "frontline:aws:AuthTokenParameter::auth-token",
        "frontline:aws:CallbackApi::api",
        ...CALLBACKS.map((spec) => `frontline:aws:CallbackFunction::${spec.name}`),
        "frontline:aws:CustomerDirectory::customers",
        "frontline:aws:Monitoring::monitoring",
        "frontline:twilio:TwilioAccount::twilio",
      ].sort(),
    );
  });

  it("leaves no resource flat in the stack: every AWS and Twilio resource's parent is a component", () => {
    const custom = run.resources.filter((r) => r.custom);
    expect(custom.length).toBeGreaterThan(40);
    const flat = custom.filter((r) => componentOf(r) === undefined).map((r) => `${r.type}::${r.name}`);
    expect(flat).toEqual([]);
  });

  it("puts each resource in the component that owns it", () => {
    const owner = (type: string, name: string) => componentOf(run.one(type, name))!;
    for (const spec of CALLBACKS) {
      for (const [type, name] of [
        [T.fn, spec.name],
        [T.role, `${spec.name}-role`],
        [T.policy, `${spec.name}-policy`],
        [T.logGroup, `${spec.name}-logs`],
        [T.permission, `${spec.name}-invoke`],
      ] as const) {
        expect(`${owner(type, name).type}::${owner(type, name).name}`, name).toBe(
          `frontline:aws:CallbackFunction::${spec.name}`,
        );
      }
      expect(owner(T.route, `${spec.name}-route`).type).toBe("frontline:aws:CallbackApi");
      expect(owner(T.integration, `${spec.name}-integration`).type).toBe("frontline:aws:CallbackApi");
    }
    expect(owner(T.api, "callbacks").type).toBe("frontline:aws:CallbackApi");
    expect(owner(T.table, "customers").type).toBe("frontline:aws:CustomerDirectory");
    expect(owner(T.parameter, "twilio-auth-token").type).toBe("frontline:aws:AuthTokenParameter");
    for (const r of run.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))) {
      expect(componentOf(r)!.type, r.name).toBe("frontline:twilio:TwilioAccount");
    }
    for (const r of [run.one(T.dashboard), ...run.ofType(T.alarm)]) {
      expect(componentOf(r)!.type, r.name).toBe(T.monitoring);
    }
  });

  it("aliases every resource to its old place at the stack's root, same name and type, so deployed stacks update in place", () => {
    const stackUrn = `urn:pulumi:dev::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-dev`;
    for (const r of run.resources.filter((r) => r.custom)) {
      const atRoot = r.aliases.filter(
        ({ spec }) => spec && !spec.name && !spec.type && (spec.noparent === true || spec.parenturn === stackUrn),
      );
      // Monitoring came after the components: none of it ever sat at the root.
      expect(atRoot, `${r.type}::${r.name}`).toHaveLength(componentOf(r)!.type === T.monitoring ? 0 : 1);
    }
  });
});

describe("least-privilege IAM", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(baseConfig());
  });

  const statementsOf = (r: Registered) =>
    JSON.parse(r.inputs["policy"]).Statement as Array<{ Effect: string; Action: string[]; Resource: string[] }>;

  it("lets only the Lambda service assume each role, with no managed policies attached", () => {
    for (const role of run.ofType(T.role)) {
      const trust = JSON.parse(role.inputs["assumeRolePolicy"]);
      expect(trust.Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(role.inputs["managedPolicyArns"]).toBeUndefined();
    }
    expect(run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);
  });

  it("grants each function exactly its log group, the token parameter and its table reads", () => {
    const tableArn = run.one(T.table).state["arn"];
    const parameterArn = run.one(T.parameter).state["arn"];
    const expected: Record<string, Array<[string, string]>> = {
      crm: [
        ["dynamodb:GetItem", tableArn],
        ["dynamodb:Query", `${tableArn}/index/${MATCH_INDEX}`],
      ],
      templates: [["dynamodb:GetItem", tableArn]],
      "outgoing-conversation": [],
      routing: [["dynamodb:Query", tableArn]],
      "twilio-conversations": [["dynamodb:Query", tableArn]],
    };
    for (const spec of CALLBACKS) {
      const policy = run.one(T.policy, `${spec.name}-policy`);
      const role = run.one(T.role, `${spec.name}-role`);
      expect(policy.inputs["role"], spec.name).toBe(role.state["id"] ?? `${spec.name}-role-id`);
      expect(fnByCallback(run, spec.name).inputs["role"], spec.name).toBe(role.state["arn"]);
      const logGroupArn = run.one(T.logGroup, `${spec.name}-logs`).state["arn"];
      const grants = statementsOf(policy).flatMap((s) => {
        expect(s.Effect).toBe("Allow");
        return s.Action.flatMap((action) => s.Resource.map((resource) => [action, resource] as [string, string]));
      });
      expect(grants.sort(), spec.name).toEqual(
        [
          ["logs:CreateLogStream", `${logGroupArn}:*`],
          ["logs:PutLogEvents", `${logGroupArn}:*`],
          // Both token parameters always (the secondary by its fixed name), by both reads.
          ["ssm:GetParameter", parameterArn],
          ["ssm:GetParameters", parameterArn],
          ["ssm:GetParameter", `${parameterArn}-secondary`],
          ["ssm:GetParameters", `${parameterArn}-secondary`],
          ...expected[spec.name]!,
        ].sort(),
      );
    }
  });

  it("never uses a wildcard action or a wildcard resource", () => {
    for (const policy of run.ofType(T.policy)) {
      for (const statement of statementsOf(policy)) {
        for (const action of statement.Action) expect(action, policy.name).not.toContain("*");
        for (const resource of statement.Resource) expect(resource, policy.name).not.toBe("*");
      }
    }
  });

  it("gives the function its policy before it can be invoked", () => {
    for (const spec of CALLBACKS) {
      expect(fnByCallback(run, spec.name).dependsOn, spec.name).toContain(run.one(T.policy, `${spec.name}-policy`).urn);
    }
  });
});

describe("inbound modes, WhatsApp and an adopted messaging service", () => {
  it("messaging-service mode: no address configurations, and a Console step to autocreate from the service", async () => {
    const run = await runProgram({ ...baseConfig(), [`${PROJECT}:inboundMode`]: "messaging-service" });
    expect(run.ofType(T.address)).toHaveLength(0);
    expect(run.one(T.senderPool).inputs["phoneNumber"]).toBe("+15551230001");
    const steps = run.outputs["manualSteps"] as Array<{ title: string; where: string; values: Record<string, string> }>;
    const autocreate = steps.find((s) => s.title.startsWith("Autocreate"));
    expect(autocreate?.values).toEqual({ "Incoming Messages": "Autocreate a Conversation" });
    expect(autocreate?.where).toContain(CREATED_MG);
    // Before the Frontline callbacks, after the Conversations unlock.
    expect(steps.map((s) => s.title).indexOf(autocreate!.title)).toBe(2);
  });

  it("WhatsApp in address-configuration mode: a second autocreation, the sender in the outgoing callback", async () => {
    const run = await runProgram({ ...baseConfig(), [`${PROJECT}:whatsappNumber`]: "whatsapp:+15557770001" });
    const addresses = run.ofType(T.address).map((a) => [a.inputs["address"], a.inputs["conversationServiceSid"]]);
    expect(addresses.sort()).toEqual([
      ["+15551230001", SERVICE_SID],
      ["whatsapp:+15557770001", SERVICE_SID],
    ]);
    expect(fnByCallback(run, "outgoing-conversation").inputs["environment"]["variables"]).toMatchObject({
      TWILIO_SMS_NUMBER: "+15551230001",
      TWILIO_WHATSAPP_NUMBER: "whatsapp:+15557770001",
    });
    for (const spec of CALLBACKS.filter((s) => s.name !== "outgoing-conversation")) {
      expect(
        fnByCallback(run, spec.name).inputs["environment"]["variables"]["TWILIO_WHATSAPP_NUMBER"],
        spec.name,
      ).toBeUndefined();
    }
    // A different number than the SMS one: the WhatsApp sender is pooled by hand.
    const steps = run.outputs["manualSteps"] as Array<{ title: string; values: Record<string, string> }>;
    expect(steps.find((s) => s.title.includes("WhatsApp"))?.values).toEqual({
      "WhatsApp sender": "whatsapp:+15557770001",
    });
    expect(run.ofType(T.senderPool)).toHaveLength(1);
  });

  it("WhatsApp on the SMS number needs no extra pooling step; messaging-service mode adds no address configuration", async () => {
    const run = await runProgram({
      ...baseConfig(),
      [`${PROJECT}:whatsappNumber`]: "whatsapp:+15551230001",
      [`${PROJECT}:inboundMode`]: "messaging-service",
    });
    expect(run.ofType(T.address)).toHaveLength(0);
    const steps = run.outputs["manualSteps"] as Array<{ title: string }>;
    expect(steps.some((s) => s.title.includes("WhatsApp"))).toBe(false);
  });

  it("adopts an existing messaging service by SID instead of creating one", async () => {
    const run = await runProgram({ ...baseConfig(), [`${PROJECT}:messagingServiceSid`]: ADOPTED_MG });
    const service = run.one(T.messagingService).inputs;
    expect(service["adoptSid"]).toBe(ADOPTED_MG);
    expect(service["friendlyName"]).toBeUndefined();
    expect(run.one(T.senderPool).inputs["messagingServiceSid"]).toBe(ADOPTED_MG);
    expect(run.one(T.defaults).inputs["defaultMessagingServiceSid"]).toBe(ADOPTED_MG);
    expect(run.outputs["messagingServiceSid"]).toBe(ADOPTED_MG);
  });
});

describe("optional settings", () => {
  it("publicBaseUrl: the functions verify and Twilio calls the custom domain", async () => {
    const base = "https://frontline.example.com";
    const run = await runProgram({ ...baseConfig(), [`${PROJECT}:publicBaseUrl`]: `${base}/` });
    for (const spec of CALLBACKS) {
      expect(fnByCallback(run, spec.name).inputs["environment"]["variables"]["PUBLIC_BASE_URL"], spec.name).toBe(base);
    }
    expect(run.outputs["apiUrl"]).toBe(base);
    expect((run.outputs["callbackUrls"] as Record<string, string>)["routing"]).toBe(`${base}/callbacks/routing`);
    expect(run.one(T.webhooks).inputs["preWebhookUrl"]).toBe(`${base}/callbacks/twilio-conversations`);
  });

  it("protectCustomers=false: a throwaway stack's table can be destroyed, with point-in-time recovery", async () => {
    const run = await runProgram({ ...baseConfig(), [`${PROJECT}:protectCustomers`]: "false" });
    const table = run.one(T.table);
    expect(table.inputs["deletionProtectionEnabled"]).toBe(false);
    expect(table.protect).toBe(false);
    expect(table.inputs["pointInTimeRecovery"]).toEqual({ enabled: true });
  });

  it("defaultWorker reaches the routing function only; retention and throttling follow the config", async () => {
    const run = await runProgram({
      ...baseConfig(),
      [`${PROJECT}:defaultWorker`]: "alice@example.com",
      [`${PROJECT}:logRetentionDays`]: "30",
      [`${PROJECT}:throttle`]: JSON.stringify({ rateLimit: 5, burstLimit: 10 }),
    });
    for (const spec of CALLBACKS) {
      const worker = fnByCallback(run, spec.name).inputs["environment"]["variables"]["DEFAULT_WORKER"];
      expect(worker, spec.name).toBe(spec.name === "routing" ? "alice@example.com" : undefined);
    }
    for (const group of run.ofType(T.logGroup)) expect(group.inputs["retentionInDays"], group.name).toBe(30);
    expect(run.one(T.stage).inputs["defaultRouteSettings"]).toMatchObject({
      throttlingRateLimit: 5,
      throttlingBurstLimit: 10,
    });
  });
});

describe("an Auth Token rotation in progress (twilio:secondaryAuthToken)", () => {
  const SECONDARY = "5".repeat(32);
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(
      { ...baseConfig(), "twilio:secondaryAuthToken": SECONDARY },
      { secretKeys: ["twilio:authToken", "twilio:secondaryAuthToken"] },
    );
  });

  it("stores the secondary token as a second SecureString, encrypted in state and nowhere else", () => {
    const secondary = run.one(T.parameter, "twilio-auth-token-secondary").inputs;
    expect(secondary["type"]).toBe("SecureString");
    expect(secondary["name"]).toBe(`/${PROJECT}/dev/twilio-auth-token-secondary`);
    expect(secondary["value"]).toEqual({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: SECONDARY,
    });
    const carriers = run.resources.filter((r) => JSON.stringify(r.inputs).includes(SECONDARY)).map((r) => r.name);
    expect(carriers).toEqual(["twilio-auth-token-secondary"]);
    expect(JSON.stringify(run.outputs)).not.toContain(SECONDARY);
  });

  it("names it to every function and lets each read exactly the two token parameters", () => {
    const primary = run.one(T.parameter, "twilio-auth-token");
    const secondary = run.one(T.parameter, "twilio-auth-token-secondary");
    for (const spec of CALLBACKS) {
      const variables = fnByCallback(run, spec.name).inputs["environment"]["variables"];
      expect(variables["TWILIO_AUTH_TOKEN_PARAMETER"], spec.name).toBe(primary.inputs["name"]);
      expect(variables["TWILIO_SECONDARY_AUTH_TOKEN_PARAMETER"], spec.name).toBe(secondary.inputs["name"]);
      const statements = JSON.parse(run.one(T.policy, `${spec.name}-policy`).inputs["policy"]).Statement as Array<{
        Sid: string;
        Action: string[];
        Resource: string[];
      }>;
      const statement = statements.find((s) => s.Sid === "AuthTokenParameter")!;
      expect(statement.Action).toEqual(["ssm:GetParameter", "ssm:GetParameters"]);
      expect(statement.Resource).toEqual([primary.state["arn"], secondary.state["arn"]]);
    }
  });

  it("adds nothing when the key is not set (the default stack has one parameter and no secondary variable)", async () => {
    const plain = await runProgram(baseConfig());
    expect(plain.ofType(T.parameter)).toHaveLength(1);
    for (const spec of CALLBACKS) {
      expect(
        fnByCallback(plain, spec.name).inputs["environment"]["variables"]["TWILIO_SECONDARY_AUTH_TOKEN_PARAMETER"],
      ).toBeUndefined();
    }
  });
});

describe("configuration errors stop the program and name the key", () => {
  it("lists every missing required key with the command that sets it", async () => {
    await expect(runProgram({})).rejects.toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /twilio:accountSid is required[\s\S]*frontline-stack:conversationsServiceSid is required[\s\S]*frontline-stack:smsNumber is required[\s\S]*twilio:authToken is required.*pulumi config set --secret twilio:authToken/,
        ),
      }),
    );
  });

  it("rejects a malformed value, naming the key and the fix", async () => {
    await expect(runProgram({ ...baseConfig(), [`${PROJECT}:smsNumber`]: "555-1234" })).rejects.toThrow(
      /frontline-stack:smsNumber must be an E\.164 number such as \+15551230001, got "555-1234": pulumi config set smsNumber \+15551230001/,
    );
  });

  it("creates no resources when the config is wrong", async () => {
    let registered = -1;
    try {
      await runProgram({ ...baseConfig(), [`${PROJECT}:inboundMode`]: "webhook" });
    } catch (error) {
      expect(String(error)).toMatch(
        /frontline-stack:inboundMode must be address-configuration or messaging-service, got "webhook"/,
      );
      registered = 0;
    }
    expect(registered).toBe(0);
  });
});

describe("first preview (nothing deployed yet, every computed value unknown)", () => {
  it("evaluates, registers the whole graph, and leaves the URLs unknown rather than wrong", async () => {
    const run = await runProgram(baseConfig(), { preview: true });
    expect(run.ofType(T.fn)).toHaveLength(5);
    expect(run.ofType(T.webhooks)).toHaveLength(1);
    expect(run.outputs["apiUrl"]).toBe(UNKNOWN);
    expect(run.outputs["callbackUrls"]).toBe(UNKNOWN);
    // The engine sends the URL as unknown (the providers' check must accept it), nothing made up.
    expect(pulumi.isUnknown(run.one(T.webhooks).inputs["preWebhookUrl"])).toBe(true);
    expect(pulumi.isUnknown(fnByCallback(run, "crm").inputs["environment"]["variables"]["PUBLIC_BASE_URL"])).toBe(true);
    expect(run.one(T.webhooks).inputs["conversationServiceSid"]).toBe(SERVICE_SID);
  });
});
