/**
 * The API Gateway HTTP API in front of the callbacks: the API, its `$default` stage with access
 * logs, one route per callback, and optionally the stack's own domain mapped onto it.
 * Routes are added after construction (`route()`), because the
 * functions need the API's URL first (known from creation on) and each route then needs its function.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CallbackFunction } from "./callback-function.js";
import { childOf } from "./child-options.js";
import { type CustomDomain, customDomain } from "./custom-domain.js";

export interface CallbackApiArgs {
  stack: string;
  logRetentionDays: number;
  throttle: { rateLimit: number; burstLimit: number };
  /** A domain name and an ACM certificate for it in the API's region. */
  customDomain?: { name: string; certificateArn: string } | undefined;
}

export interface CallbackRoute {
  integration: aws.apigatewayv2.Integration;
  route: aws.apigatewayv2.Route;
}

/** One line per request; no request bodies (form posts carry customer addresses and message text). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  userAgent: "$context.identity.userAgent",
});

export class CallbackApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly accessLogs: aws.cloudwatch.LogGroup;
  /** The API's own `https://…execute-api…` URL, without a trailing slash. */
  readonly endpoint: pulumi.Output<string>;
  readonly executionArn: pulumi.Output<string>;
  readonly routes: CallbackRoute[] = [];
  /** With `customDomain`: the domain, its mapping, and where its DNS record must point. */
  readonly domain: CustomDomain | undefined;
  /**
   * The URL callers use: `https://<customDomain>` when there is one. Built from the name, not from
   * the API, so replacing the API changes no URL the Console or Twilio holds.
   */
  readonly publicEndpoint: pulumi.Output<string>;

  constructor(name: string, args: CallbackApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:aws:CallbackApi", name, {}, opts);

    this.api = new aws.apigatewayv2.Api(
      "callbacks",
      { protocolType: "HTTP", description: `Twilio Frontline callbacks (${args.stack})` },
      childOf(this),
    );

    this.accessLogs = new aws.cloudwatch.LogGroup(
      "callbacks-access-logs",
      { namePrefix: `/aws/apigateway/frontline-${args.stack}-access-`, retentionInDays: args.logRetentionDays },
      childOf(this),
    );

    // `$default` serves at the root, so the public URL has no stage prefix: Twilio signs the URL it
    // calls, and the functions rebuild it as base URL + route path.
    this.stage = new aws.apigatewayv2.Stage(
      "callbacks-default",
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          // A cap on what a leaked URL can cost; unsigned requests are still rejected by the functions.
          throttlingRateLimit: args.throttle.rateLimit,
          throttlingBurstLimit: args.throttle.burstLimit,
        },
        accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
      },
      childOf(this),
    );

    this.endpoint = this.api.apiEndpoint;
    this.executionArn = this.api.executionArn;
    // New with the domain: no alias, nothing of it ever sat at the stack's root.
    this.domain = args.customDomain
      ? customDomain({ ...args.customDomain, api: this.api, stage: this.stage }, { parent: this })
      : undefined;
    this.publicEndpoint = args.customDomain ? pulumi.output(`https://${args.customDomain.name}`) : this.endpoint;
    this.registerOutputs({
      endpoint: this.endpoint,
      publicEndpoint: this.publicEndpoint,
      dnsTarget: this.domain?.dnsTarget,
    });
  }

  /** `POST <path>` to the callback's function, payload format 2.0. */
  route(callback: CallbackFunction): CallbackRoute {
    const name = callback.spec.name;
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: callback.fn.invokeArn,
        payloadFormatVersion: "2.0",
      },
      // No request should reach the function before it may be invoked.
      childOf(this, { dependsOn: [callback.permission] }),
    );

    const route = new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: this.api.id,
        routeKey: `POST ${callback.spec.path}`,
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      childOf(this),
    );
    const added = { integration, route };
    this.routes.push(added);
    return added;
  }

  /**
   * `base`, resolving only once the stage, every route added so far and the domain mapping exist, so
   * nothing (stack outputs, Twilio) is handed a URL that does not answer yet.
   */
  whenLive(base: pulumi.Input<string>): pulumi.Output<string> {
    const ids = pulumi.all([
      this.stage.id,
      ...this.routes.map(({ route }) => route.id),
      ...(this.domain ? [this.domain.mapping.id] : []),
    ]);
    return pulumi.all([base, ids]).apply(([url]) => url);
  }
}
