/**
 * The API Gateway HTTP API in front of the callbacks. Two steps, so the functions can be given the
 * API's URL without a cycle: `httpApi` creates the API (its endpoint is known from creation on), the
 * functions are created with it, and `lambdaRoute` then adds each function's route.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface HttpApiArgs {
  stack: string;
  logRetentionDays: number;
  throttle: { rateLimit: number; burstLimit: number };
}

export interface HttpApi {
  api: aws.apigatewayv2.Api;
  stage: aws.apigatewayv2.Stage;
  accessLogs: aws.cloudwatch.LogGroup;
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

export function httpApi(args: HttpApiArgs): HttpApi {
  const api = new aws.apigatewayv2.Api("callbacks", {
    protocolType: "HTTP",
    description: `Twilio Frontline callbacks (${args.stack})`,
  });

  const accessLogs = new aws.cloudwatch.LogGroup("callbacks-access-logs", {
    namePrefix: `/aws/apigateway/frontline-${args.stack}-access-`,
    retentionInDays: args.logRetentionDays,
  });

  // `$default` serves at the root, so the public URL has no stage prefix: Twilio signs the URL it
  // calls, and the functions rebuild it as base URL + route path.
  const stage = new aws.apigatewayv2.Stage("callbacks-default", {
    apiId: api.id,
    name: "$default",
    autoDeploy: true,
    defaultRouteSettings: {
      // A cap on what a leaked URL can cost; unsigned requests are still rejected by the functions.
      throttlingRateLimit: args.throttle.rateLimit,
      throttlingBurstLimit: args.throttle.burstLimit,
    },
    accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
  });

  return { api, stage, accessLogs };
}

export interface LambdaRoute {
  permission: aws.lambda.Permission;
  integration: aws.apigatewayv2.Integration;
  route: aws.apigatewayv2.Route;
}

/** `POST <path>` to `fn`, payload format 2.0, invocable from this route of this API only. */
export function lambdaRoute(name: string, api: aws.apigatewayv2.Api, fn: aws.lambda.Function, path: string): LambdaRoute {
  const permission = new aws.lambda.Permission(`${name}-invoke`, {
    action: "lambda:InvokeFunction",
    function: fn.name,
    principal: "apigateway.amazonaws.com",
    // Any stage, but only this method and path of this API.
    sourceArn: pulumi.interpolate`${api.executionArn}/*/POST${path}`,
  });

  const integration = new aws.apigatewayv2.Integration(
    `${name}-integration`,
    {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationMethod: "POST",
      integrationUri: fn.invokeArn,
      payloadFormatVersion: "2.0",
    },
    // No request should reach the function before it may be invoked.
    { dependsOn: [permission] },
  );

  const route = new aws.apigatewayv2.Route(`${name}-route`, {
    apiId: api.id,
    routeKey: `POST ${path}`,
    target: pulumi.interpolate`integrations/${integration.id}`,
  });

  return { permission, integration, route };
}
