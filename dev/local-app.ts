import { readFileSync } from "node:fs";
import { loadJsonDirectory } from "../lambda/customers/json-store.js";
import { CALLBACKS } from "../lambda/handlers/index.js";
import type { Callback, Deps } from "../lambda/handlers/types.js";
import type { AdapterOptions } from "../lambda/http/adapter.js";
import { staticToken } from "../lambda/runtime/auth-token.js";
import {
  ConfigError,
  type Env,
  optionalEnv,
  readAccountSid,
  readServiceSid,
  readSettings,
  requireEnv,
} from "../lambda/runtime/env.js";
import { lazy } from "../lambda/runtime/lazy.js";
import { jsonLogger, type Logger } from "../lambda/runtime/log.js";
import { DEFAULT_TEMPLATES, parseTemplates, type TemplateCategory } from "../lambda/templates/catalog.js";
import { conversationsClient } from "../lambda/twilio/conversations-client.js";
import { workerNames } from "../lambda/twilio/frontline-users.js";
import { checkLocalSettings } from "./start-checks.js";

const BY_PATH: ReadonlyMap<string, Callback> = new Map(CALLBACKS.map((callback) => [callback.path, callback]));

/**
 * The local server's wiring: the same handlers and adapter as Lambda, with the customer
 * directory and templates from JSON files and the token from the environment. Data files are
 * loaded here, eagerly, so a bad file stops start-up with its name instead of failing a request.
 */
export function createLocalApp(env: Env, log: Logger = jsonLogger): AdapterOptions {
  const accountSid = readAccountSid(env);
  const authToken = requireEnv(env, "TWILIO_AUTH_TOKEN", "the Auth Token of the same account as Frontline");
  checkLocalSettings(env);
  const directory = loadJsonDirectory(optionalEnv(env, "CUSTOMERS_FILE"));
  const templatesFile = optionalEnv(env, "TEMPLATES_FILE");
  const templates = templatesFile ? loadTemplatesFile(templatesFile) : DEFAULT_TEMPLATES;
  const deps: Deps = {
    settings: readSettings(env),
    log,
    directory: async () => directory,
    templates: async () => templates,
    // {{Author}}: the worker's name from Frontline's Users API, as on Lambda.
    workerName: workerNames({
      credentials: async () => ({ accountSid, authToken }),
      apiBaseUrl: optionalEnv(env, "TWILIO_API_BASE_URL"),
      log,
    }),
    conversations: lazy(async () =>
      conversationsClient({
        credentials: async () => ({ accountSid, authToken }),
        apiBaseUrl: optionalEnv(env, "TWILIO_API_BASE_URL"),
        serviceSid: readServiceSid(env),
      }),
    ),
  };
  return {
    route: (path) => BY_PATH.get(path),
    token: staticToken(authToken),
    publicBaseUrl: optionalEnv(env, "PUBLIC_BASE_URL"),
    defaultScheme: "http",
    deps,
  };
}

function loadTemplatesFile(path: string): TemplateCategory[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? "is not valid JSON" : "cannot be read";
    throw new ConfigError(`TEMPLATES_FILE ${path} ${reason}`);
  }
  return parseTemplates(data, `TEMPLATES_FILE ${path}`);
}

export const CALLBACK_PATHS: readonly string[] = CALLBACKS.map((callback) => callback.path);
