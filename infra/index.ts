/**
 * Frontline Stack: the callbacks on Lambda behind an HTTP API, the Auth Token in SSM, the customer
 * table, and the Twilio account pointed at the deployed URLs. Order matters in one place only: the
 * functions need the API's URL (known when the API exists), the routes need the functions, and
 * Twilio is pointed at the URLs once the routes answer.
 */
import * as pulumi from "@pulumi/pulumi";
import { callbackFunction } from "./callback-function.js";
import { CALLBACKS, type CallbackUrlKey } from "./callbacks.js";
import { loadStackConfig } from "./config.js";
import { customersTable as createCustomersTable } from "./customers-table.js";
import { httpApi, lambdaRoute } from "./http-api.js";
import { manualSteps as listManualSteps } from "./manual-steps.js";
import { secondaryTokenParameter, tokenParameter } from "./token-parameter.js";
import { twilioAccount } from "./twilio-account.js";

const config = loadStackConfig();

const customers = createCustomersTable();
const token = tokenParameter(config);
const secondaryToken = config.secondaryAuthToken ? secondaryTokenParameter({ ...config, authToken: config.secondaryAuthToken }) : undefined;
const { api, stage } = httpApi(config);

// What Twilio signs and the functions verify: the custom domain when there is one.
const publicBaseUrl: pulumi.Output<string> = config.publicBaseUrl ? pulumi.output(config.publicBaseUrl) : api.apiEndpoint;

const functions = CALLBACKS.map((spec) =>
  callbackFunction({
    spec,
    stack: config.stack,
    logRetentionDays: config.logRetentionDays,
    publicBaseUrl,
    accountSid: config.accountSid,
    tokenParameter: {
      name: token.name,
      arn: token.arn,
      secondary: secondaryToken && { name: secondaryToken.name, arn: secondaryToken.arn },
    },
    table: { name: customers.table.name, grants: customers.grants },
    settings: {
      TWILIO_SMS_NUMBER: config.smsNumber,
      TWILIO_WHATSAPP_NUMBER: config.whatsappNumber,
      CONVERSATIONS_SERVICE_SID: config.conversationsServiceSid,
      DEFAULT_WORKER: config.defaultWorker,
    },
  }),
);

const routes = functions.map(({ spec, fn }) => lambdaRoute(spec.name, api, fn, spec.path));

// The base URL again, but resolving only once the stage and every route exist, so nothing (stack
// outputs, Twilio) is handed a URL that does not answer yet.
const liveBaseUrl = pulumi
  .all([publicBaseUrl, stage.id, ...routes.map(({ route }) => route.id)])
  .apply(([base]) => base);

const urls = liveBaseUrl.apply(
  (base) => Object.fromEntries(CALLBACKS.map((spec) => [spec.urlKey, `${base}${spec.path}`])) as Record<CallbackUrlKey, string>,
);

const twilio = twilioAccount({
  config,
  conversationsWebhookUrl: urls.apply((u) => u.conversations),
  dependsOn: [stage, ...routes.flatMap(({ permission, integration, route }) => [permission, integration, route])],
});

/** The base URL Twilio calls (the custom domain when `publicBaseUrl` is set). */
export const apiUrl = liveBaseUrl;
/** One https URL per callback. */
export const callbackUrls = urls;
/** The Console-only steps, in order, with the values to paste. */
export const manualSteps = pulumi
  .all([urls, twilio.messagingService.sid])
  .apply(([callbackUrls, messagingServiceSid]) =>
    listManualSteps({
      callbackUrls,
      messagingServiceSid,
      inboundMode: config.inboundMode,
      conversationsServiceSid: config.conversationsServiceSid,
      smsNumber: config.smsNumber,
      whatsappNumber: config.whatsappNumber,
    }),
  );
export const messagingServiceSid = twilio.messagingService.sid;
/** Feed it to the import: npm run customers:import -- --table "$(pulumi stack output customersTable)" customers.json */
export const customersTable = customers.table.name;
