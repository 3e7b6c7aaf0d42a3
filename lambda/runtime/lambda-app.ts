import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { dynamoClient } from "../aws/dynamodb.js";
import { nodeFetch } from "../aws/http.js";
import { ssmClient } from "../aws/ssm.js";
import type { Callback, Deps } from "../handlers/types.js";
import { type AdapterOptions, handleRequest, MISCONFIGURED } from "../http/adapter.js";
import { fromApiGatewayEvent, toApiGatewayResult } from "../http/apigateway.js";
import { failure } from "../http/responses.js";
import type { TemplateCategory } from "../templates/catalog.js";
import { storedTemplates } from "../templates/template-store.js";
import { conversationsClient } from "../twilio/conversations-client.js";
import { workerNames } from "../twilio/frontline-users.js";
import type { RestOptions } from "../twilio/rest.js";
import { cachedToken } from "./auth-token.js";
import { ConfigError, type Env, optionalEnv, readAccountSid, readServiceSid, readSettings, requireEnv } from "./env.js";
import { lazy } from "./lazy.js";
import { jsonLogger, type Logger, withFields } from "./log.js";
import { readTokenParameters } from "./ssm-parameter.js";
import { tableDirectory } from "./table-directory.js";

/**
 * The logger of the invocation in progress. A Lambda process serves one invocation at a time, so
 * what the app built once (token refresh, template and name caches) logs through this and its lines
 * carry the current request ids too.
 */
let invocation: Logger = jsonLogger;
const appLog: Logger = {
  info: (message, fields) => invocation.info(message, fields),
  warn: (message, fields) => invocation.warn(message, fields),
  error: (message, fields) => invocation.error(message, fields),
};

/** `build()` on the first call, its result on every call after. */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Configuration is read on the first invocation, not at import: a bad setting then answers one
 * clear error instead of a crashed init, and nothing runs before Lambda has started the clock.
 *
 * AWS is reached through lambda/aws (SigV4 over node:https), not the SDK the runtime ships: loading
 * the SDK's SSM and DynamoDB clients cost more than the whole cold request does without them.
 */
export function createLambdaApp(
  callback: Callback,
  env: Env,
  deadline: () => number | undefined = () => undefined,
): AdapterOptions {
  const accountSid = readAccountSid(env);
  const parameterName = requireEnv(env, "TWILIO_AUTH_TOKEN_PARAMETER", "the SSM SecureString holding the Auth Token");
  // Set only while an Auth Token rotation is in progress (README, "Rotating the Auth Token").
  const secondaryName = optionalEnv(env, "TWILIO_SECONDARY_AUTH_TOKEN_PARAMETER");
  const apiBaseUrl = optionalEnv(env, "TWILIO_API_BASE_URL");
  const serviceSid = readServiceSid(env);
  // AWS_* are the Lambda runtime's own variables (credentials, region, endpoints), read from the
  // process as the SDK reads them; `env` holds the function's configuration.
  const aws = { env: process.env, deadline };
  const ssm = ssmClient(aws);
  const token = cachedToken({
    load: () => readTokenParameters(ssm, parameterName, secondaryName),
    onBackgroundError: (error) =>
      appLog.warn("Auth Token refresh failed; the cached token keeps serving", { error: errorText(error) }),
  });
  const tableName = () => requireEnv(env, "CUSTOMERS_TABLE", "the DynamoDB customer table name");
  const rest: RestOptions = {
    credentials: async () => ({ accountSid, authToken: await token.current() }),
    apiBaseUrl,
    deadline,
    fetch: nodeFetch,
  };
  // Built on first use: only the function whose callback needs one pays for it.
  const templates = once(() => storedTemplates({ call: dynamoClient(aws), tableName: tableName(), log: appLog }));
  const names = once(() => workerNames({ ...rest, log: appLog }));
  const deps: Deps = {
    settings: readSettings(env),
    log: appLog,
    directory: lazy(async () => tableDirectory(tableName(), aws)),
    templates: () => templates()(),
    workerName: (identity) => names()(identity),
    conversations: lazy(async () => conversationsClient({ ...rest, serviceSid })),
  };
  // Route by path as the local server does, though API Gateway only sends this callback's path: a
  // bundle built around the wrong handler then answers 404 on its own path instead of serving it.
  const route = (path: string) => (path === callback.path ? callback : undefined);
  return { route, token, publicBaseUrl: optionalEnv(env, "PUBLIC_BASE_URL"), defaultScheme: "https", deps };
}

const ANSWER_MARGIN_MS = 300;

type InvocationContext = Pick<Context, "getRemainingTimeInMillis"> & Partial<Pick<Context, "awsRequestId">>;

/** False until this process has served an invocation: the first one pays the cold start. */
let warm = false;

/** Every line of one invocation carries both request ids, the callback and whether it was a cold start. */
function invocationLog(
  callback: Callback,
  event: APIGatewayProxyEventV2,
  context: InvocationContext | undefined,
): Logger {
  const coldStart = !warm;
  warm = true;
  return withFields(jsonLogger, {
    apiRequestId: event.requestContext?.requestId,
    awsRequestId: context?.awsRequestId,
    callback: callback.name,
    coldStart,
  });
}

/** The invocation's last line: what it answered and how long it took. */
function answered(
  log: Logger,
  started: number,
  result: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  const fields = { status: result.statusCode, durationMs: Date.now() - started };
  if ((result.statusCode ?? 500) >= 500) log.error("answered", fields);
  else log.info("answered", fields);
  return result;
}

/** The Lambda entry for one callback. */
export function lambdaHandler(callback: Callback, env: Env = process.env) {
  let app: AdapterOptions | undefined;
  let answerBy: number | undefined;
  return async (
    event: APIGatewayProxyEventV2,
    context?: InvocationContext,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = Date.now();
    const log = invocationLog(callback, event, context);
    invocation = log;
    // Leave a margin to answer before Lambda's timeout turns a slow Twilio call into a 5xx.
    answerBy = context ? Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS : undefined;
    try {
      app ??= createLambdaApp(callback, env, () => answerBy);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log.error("function is misconfigured", { error: error.message });
      return answered(log, started, toApiGatewayResult(failure(500, MISCONFIGURED)));
    }
    // app.deps.log forwards to this invocation's logger (see appLog).
    return answered(log, started, toApiGatewayResult(await handleRequest(fromApiGatewayEvent(event), app)));
  };
}
