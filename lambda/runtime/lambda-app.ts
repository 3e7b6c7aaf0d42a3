import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Callback, Deps } from "../handlers/types.js";
import { type AdapterOptions, handleRequest, MISCONFIGURED } from "../http/adapter.js";
import { fromApiGatewayEvent, toApiGatewayResult } from "../http/apigateway.js";
import { failure } from "../http/responses.js";
import { DEFAULT_TEMPLATES } from "../templates/catalog.js";
import { conversationsClient } from "../twilio/conversations-client.js";
import { cachedToken } from "./auth-token.js";
import { ConfigError, type Env, optionalEnv, readAccountSid, readServiceSid, readSettings, requireEnv } from "./env.js";
import { lazy } from "./lazy.js";
import { jsonLogger } from "./log.js";
import { readSecureParameter } from "./ssm-parameter.js";
import { tableDirectory } from "./table-directory.js";

/**
 * Configuration is read on the first invocation, not at import: a bad setting then answers one
 * clear error instead of a crashed init, and nothing runs before Lambda has started the clock.
 */
export function createLambdaApp(callback: Callback, env: Env, deadline: () => number | undefined = () => undefined): AdapterOptions {
  const accountSid = readAccountSid(env);
  const parameterName = requireEnv(env, "TWILIO_AUTH_TOKEN_PARAMETER", "the SSM SecureString holding the Auth Token");
  const apiBaseUrl = optionalEnv(env, "TWILIO_API_BASE_URL");
  const serviceSid = readServiceSid(env);
  const token = cachedToken({ load: () => readSecureParameter(parameterName) });
  const deps: Deps = {
    settings: readSettings(env),
    log: jsonLogger,
    directory: lazy(() => tableDirectory(requireEnv(env, "CUSTOMERS_TABLE", "the DynamoDB customer table name"))),
    templates: async () => DEFAULT_TEMPLATES,
    conversations: lazy(async () =>
      conversationsClient({
        credentials: async () => ({ accountSid, authToken: await token.current() }),
        apiBaseUrl,
        serviceSid,
        deadline,
      }),
    ),
  };
  // Route by path as the local server does, though API Gateway only sends this callback's path: a
  // bundle built around the wrong handler then answers 404 on its own path instead of serving it.
  const route = (path: string) => (path === callback.path ? callback : undefined);
  return { route, token, publicBaseUrl: optionalEnv(env, "PUBLIC_BASE_URL"), defaultScheme: "https", deps };
}

const ANSWER_MARGIN_MS = 300;

/** The Lambda entry for one callback. */
export function lambdaHandler(callback: Callback, env: Env = process.env) {
  let app: AdapterOptions | undefined;
  let answerBy: number | undefined;
  return async (event: APIGatewayProxyEventV2, context?: Pick<Context, "getRemainingTimeInMillis">): Promise<APIGatewayProxyStructuredResultV2> => {
    // Leave a margin to answer before Lambda's timeout turns a slow Twilio call into a 5xx.
    answerBy = context ? Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS : undefined;
    try {
      app ??= createLambdaApp(callback, env, () => answerBy);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      jsonLogger.error("function is misconfigured", { callback: callback.name, error: error.message });
      return toApiGatewayResult(failure(500, MISCONFIGURED));
    }
    return toApiGatewayResult(await handleRequest(fromApiGatewayEvent(event), app));
  };
}
