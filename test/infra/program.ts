/**
 * Runs the Pulumi program (infra/index.ts) under `pulumi.runtime.setMocks` with a given stack
 * config, and records every resource registration: type, name, inputs as the engine receives them
 * (secrets unwrapped), and the options the mocks interface does not show (hideDiffs, dependsOn).
 */
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";

export const PROJECT = "frontline-stack";
export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const API_ID = "abc123defg";
export const apiEndpoint = (apiId: string) => `https://${apiId}.execute-api.${REGION}.amazonaws.com`;
export const API_ENDPOINT = apiEndpoint(API_ID);
export const DOMAIN_TARGET = `d-0123456789.execute-api.${REGION}.amazonaws.com`;
export const DOMAIN_ZONE = "Z1UJRXOUMOOFQ8";
export const AUTH_TOKEN = "f00dfacecafe0123456789abcdef4242";

export const ACCOUNT_SID = "AC" + "1".repeat(32);
export const SERVICE_SID = "IS" + "2".repeat(32);
export const ADOPTED_MG = "MG" + "3".repeat(32);
export const CREATED_MG = "MG" + "c".repeat(32);

/** The default stack: required keys only. */
export function baseConfig(): Record<string, string> {
  return {
    "twilio:accountSid": ACCOUNT_SID,
    "twilio:authToken": AUTH_TOKEN,
    [`${PROJECT}:conversationsServiceSid`]: SERVICE_SID,
    [`${PROJECT}:smsNumber`]: "+15551230001",
  };
}

export interface Registered {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, any>;
  /** The state the mock answered with: inputs plus the computed outputs. */
  state: Record<string, any>;
  hideDiffs: string[];
  dependsOn: string[];
  /** False for a component. */
  custom: boolean;
  /** URN of the parent: the stack's own URN for a resource at the root. */
  parent: string;
  /** The aliases as sent to the engine (structured alias specs). */
  aliases: Array<{ urn?: string; spec?: { name?: string; type?: string; parenturn?: string; noparent?: boolean } }>;
  protect: boolean;
  deleteBeforeReplace: boolean;
}

export interface ProgramRun {
  resources: Registered[];
  exports: Record<string, unknown>;
  /** Resolved values of the program's exported outputs. */
  outputs: Record<string, any>;
  ofType(type: string): Registered[];
  one(type: string, name?: string): Registered;
  byUrn(urn: string): Registered;
}

/** Outputs a cloud provider computes; everything else echoes the inputs. */
function computed(type: string, name: string, inputs: Record<string, any>, apiId: string): Record<string, any> {
  switch (type) {
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}-fn`;
      return {
        arn,
        name: `${name}-fn`,
        invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const logName = `${inputs["namePrefix"] ?? ""}0001`;
      return { name: logName, arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logName}` };
    }
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, name };
    case "aws:ssm/parameter:Parameter":
      return { arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${inputs["name"]}` };
    case "aws:dynamodb/table:Table":
      return { name: `${name}-tbl`, arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}-tbl` };
    case "aws:apigatewayv2/api:Api":
      return { apiEndpoint: apiEndpoint(apiId), executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}` };
    case "aws:apigatewayv2/stage:Stage":
      return { invokeUrl: `${apiEndpoint(apiId)}/` };
    case "aws:apigatewayv2/domainName:DomainName":
      return {
        domainNameConfiguration: {
          ...inputs["domainNameConfiguration"],
          targetDomainName: DOMAIN_TARGET,
          hostedZoneId: DOMAIN_ZONE,
        },
      };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${name}-topic` };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${inputs["name"]}` };
    default:
      if (type.endsWith(":MessagingService"))
        return { sid: inputs["adoptSid"] ?? CREATED_MG, adopted: Boolean(inputs["adoptSid"]) };
      return {};
  }
}

export interface RunOptions {
  secretKeys?: string[];
  /**
   * A first `pulumi preview`: nothing exists yet, so every computed output (ARNs, the API endpoint,
   * the messaging service SID) is unknown. Exported outputs that stay unknown read as UNKNOWN.
   */
  preview?: boolean;
  /** The program module to run, relative to this file; default the project's own (infra/index.ts). */
  program?: string;
  /** The id the API gets, to model a stack whose API was replaced. */
  apiId?: string;
}

export const UNKNOWN = Symbol("unknown");

export async function runProgram(
  config: Record<string, string>,
  {
    secretKeys = ["twilio:authToken"],
    preview = false,
    program = "../../infra/index.js",
    apiId = API_ID,
  }: RunOptions = {},
): Promise<ProgramRun> {
  const resources: Registered[] = [];
  type Options = Pick<Registered, "hideDiffs" | "dependsOn" | "parent" | "aliases" | "protect" | "deleteBeforeReplace">;
  const options = new Map<string, Options>();

  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = preview
          ? { ...args.inputs }
          : { ...args.inputs, ...computed(args.type, args.name, args.inputs, apiId) };
        resources.push({
          type: args.type,
          name: args.name,
          urn: "",
          inputs: args.inputs,
          state,
          hideDiffs: [],
          dependsOn: [],
          custom: args.custom ?? true,
          parent: "",
          aliases: [],
          protect: false,
          deleteBeforeReplace: false,
        });
        return { id: args.type === "aws:apigatewayv2/api:Api" && !preview ? apiId : `${args.name}-id`, state };
      },
      call(args) {
        throw new Error(`the program made an unexpected invoke ${args.token}`);
      },
    },
    PROJECT,
    "dev",
    preview,
  );

  // The mock monitor does not pass resource options to newResource: read them off the request.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, callback: (err: unknown, res: any) => void): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      if (res) {
        options.set(`${req.getType()}::${req.getName()}`, {
          hideDiffs: req.getHidediffsList(),
          dependsOn: req.getDependenciesList(),
          parent: req.getParent(),
          aliases: req.getAliasesList().map((alias: { toObject(): Registered["aliases"][number] }) => alias.toObject()),
          protect: req.getProtect() ?? false,
          deleteBeforeReplace: req.getDeletebeforereplace(),
        });
      }
      if (res && !err) {
        const entry = [...resources].reverse().find((r) => r.type === req.getType() && r.name === req.getName());
        if (entry) entry.urn = res.getUrn();
      }
      callback(err, res);
    });

  vi.resetModules();
  const exports = (await import(/* @vite-ignore */ program)) as Record<string, unknown>;
  const outputs: Record<string, any> = {};
  for (const [key, value] of Object.entries(exports)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await (preview ? unwrapOrUnknown(value) : unwrap(value)) : value;
  }
  // Let registrations that nothing exported waits on (the Twilio resources) finish.
  await settle(resources);
  for (const resource of resources) Object.assign(resource, options.get(`${resource.type}::${resource.name}`) ?? {});

  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    exports,
    outputs,
    ofType,
    one(type, name) {
      const found = ofType(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
        );
      return found[0]!;
    },
    byUrn(urn) {
      const found = resources.find((r) => r.urn === urn);
      if (!found) throw new Error(`no resource with urn ${urn}`);
      return found;
    },
  };
}

export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/**
 * During a preview an output is unknown when its value depends on something only known after
 * deployment; the engine's own `isKnown` says so (a timeout would mistake a slow output for one).
 */
async function unwrapOrUnknown<T>(output: pulumi.Output<T>): Promise<T | typeof UNKNOWN> {
  const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
  return known ? unwrap(output) : UNKNOWN;
}

async function settle(resources: Registered[]): Promise<void> {
  let last = -1;
  for (let quiet = 0; quiet < 5; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (resources.length === last) quiet++;
    else quiet = 0;
    last = resources.length;
  }
}

/** The dynamic-resource type token for an infra/twilio resource class. */
export function twilioType(name: string): string {
  return `pulumi-nodejs:dynamic/twilio:${name}`;
}
