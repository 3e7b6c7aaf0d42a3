/**
 * One callback's Lambda function with its own log group, its own role and the permission that lets
 * its one API route invoke it. One role per function keeps each one's permissions to exactly what
 * its code touches.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CallbackSpec, Setting, TableRead } from "./callbacks.js";
import { childOf } from "./child-options.js";
import { callbackPolicy, lambdaTrustPolicy, type PolicyStatement } from "./iam.js";
import { LAMBDA_HANDLER, lambdaArchive } from "./lambda-code.js";

export interface CallbackFunctionArgs {
  spec: CallbackSpec;
  stack: string;
  logRetentionDays: number;
  /** The URL Twilio signs, without a trailing slash; the function appends its route path. */
  publicBaseUrl: pulumi.Input<string>;
  accountSid: string;
  tokenParameter: {
    name: pulumi.Input<string>;
    arn: pulumi.Input<string>;
    /** Present only while an Auth Token rotation is in progress (config twilio:secondaryAuthToken). */
    secondary?: { name: pulumi.Input<string> };
  };
  table: {
    name: pulumi.Input<string>;
    /** DynamoDB statements for the given reads, built from the table's real ARNs. */
    grants(reads: readonly TableRead[]): pulumi.Output<PolicyStatement[]>;
  };
  /** Values for the per-function settings; an undefined one is simply not set. */
  settings: Record<Exclude<Setting, "CUSTOMERS_TABLE">, pulumi.Input<string> | undefined>;
  /** The API whose route (`POST <spec.path>`, any stage) may invoke the function. */
  api: { executionArn: pulumi.Input<string> };
}

export class CallbackFunction extends pulumi.ComponentResource {
  readonly spec: CallbackSpec;
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly permission: aws.lambda.Permission;

  /** Named after the callback, as are its resources. */
  constructor(name: string, args: CallbackFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:aws:CallbackFunction", name, {}, opts);
    const { spec } = args;
    this.spec = spec;

    // Explicit, so retention applies and `pulumi destroy` removes it; Lambda would otherwise create
    // a never-expiring /aws/lambda/<fn> group on first invocation and leave it behind.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { namePrefix: `/aws/lambda/frontline-${args.stack}-${name}-`, retentionInDays: args.logRetentionDays },
      childOf(this),
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: lambdaTrustPolicy(),
        description: `Frontline ${name} callback (${args.stack}): its log group, the Auth Token parameter, and its table reads`,
      },
      childOf(this),
    );

    const tableGrants = spec.tableReads.length > 0 ? args.table.grants(spec.tableReads) : [];
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([this.logGroup.arn, args.tokenParameter.arn, tableGrants])
          .apply(([logGroupArn, tokenParameterArn, table]) =>
            JSON.stringify(callbackPolicy({ logGroupArn, tokenParameterArn, table })),
          ),
      },
      childOf(this),
    );

    const variables: Record<string, pulumi.Input<string>> = {
      PUBLIC_BASE_URL: args.publicBaseUrl,
      // Every function reads it at start-up (lambda/runtime/lambda-app.ts); it is an identifier, not a secret.
      TWILIO_ACCOUNT_SID: args.accountSid,
      TWILIO_AUTH_TOKEN_PARAMETER: args.tokenParameter.name,
    };
    // Its name, not its value; the dependency on the parameter makes it exist before any function reads it.
    if (args.tokenParameter.secondary) {
      variables["TWILIO_SECONDARY_AUTH_TOKEN_PARAMETER"] = args.tokenParameter.secondary.name;
    }
    for (const setting of spec.settings) {
      const value = setting === "CUSTOMERS_TABLE" ? args.table.name : args.settings[setting];
      if (value !== undefined) variables[setting] = value;
    }

    this.fn = new aws.lambda.Function(
      name,
      {
        description: `Frontline ${name} callback (${spec.path})`,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: LAMBDA_HANDLER,
        code: lambdaArchive(spec.name),
        role: this.role.arn,
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        environment: { variables },
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      },
      // The policy must be in place before the first request can arrive, not just the role.
      childOf(this, { dependsOn: [this.policy] }),
    );

    this.permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.fn.name,
        principal: "apigateway.amazonaws.com",
        // Any stage, but only this method and path of this API.
        sourceArn: pulumi.interpolate`${args.api.executionArn}/*/POST${spec.path}`,
      },
      childOf(this),
    );

    this.registerOutputs({ functionName: this.fn.name, functionArn: this.fn.arn });
  }
}
