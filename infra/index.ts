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
import { customDomain as createCustomDomain } from "./custom-domain.js";
import { customersTable as createCustomersTable } from "./customers-table.js";
import { httpApi, lambdaRoute } from "./http-api.js";
import { manualSteps as listManualSteps } from "./manual-steps.js";
import { Monitoring } from "./monitoring.js";
import { tokenParameter } from "./token-parameter.js";
import { twilioAccount } from "./twilio-account.js";

const config = loadStackConfig();

const customers = createCustomersTable({ protect: config.protectCustomers });
const token = tokenParameter(config);
const { api, stage } = httpApi(config);
const domain = config.customDomain
  ? createCustomDomain({ name: config.customDomain.name, certificateArn: config.customDomain.certificateArn, api, stage })
  : undefined;

// What Twilio signs and the functions verify: the custom domain when there is one. Built from config,
// not from the API, so replacing the API changes no URL the Console holds.
const publicBaseUrl: pulumi.Output<string> = config.customDomain
  ? pulumi.output(`https://${config.customDomain.name}`)
  : config.publicBaseUrl
    ? pulumi.output(config.publicBaseUrl)
    : api.apiEndpoint;

const functions = CALLBACKS.map((spec) =>
  callbackFunction({
    spec,
    stack: config.stack,
    logRetentionDays: config.logRetentionDays,
    publicBaseUrl,
    accountSid: config.accountSid,
    tokenParameter: { name: token.name, arn: token.arn },
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

// The base URL again, but resolving only once the stage, every route and the domain mapping exist, so
// nothing (stack outputs, Twilio) is handed a URL that does not answer yet.
const liveBaseUrl = pulumi
  .all([publicBaseUrl, stage.id, ...routes.map(({ route }) => route.id), ...(domain ? [domain.mapping.id] : [])])
  .apply(([base]) => base);

const urls = liveBaseUrl.apply(
  (base) => Object.fromEntries(CALLBACKS.map((spec) => [spec.urlKey, `${base}${spec.path}`])) as Record<CallbackUrlKey, string>,
);

const twilio = twilioAccount({
  config,
  conversationsWebhookUrl: urls.apply((u) => u.conversations),
  dependsOn: [
    stage,
    ...routes.flatMap(({ permission, integration, route }) => [permission, integration, route]),
    ...(domain ? [domain.mapping] : []),
  ],
});

const monitoring = new Monitoring("monitoring", {
  namePrefix: `${config.project}-${config.stack}`.replace(/[^A-Za-z0-9_-]/g, "-"),
  callbacks: functions.map(({ spec, fn }) => ({ name: spec.name, functionName: fn.name })),
  apiId: api.id,
  // From an ARN rather than an invoke: the region the functions actually landed in.
  region: functions[0]!.fn.arn.apply((arn) => arn.split(":")[3]!),
  alarmEmail: config.alarmEmail,
  latencyAlarmMs: config.latencyAlarmMs,
});

/** The base URL Twilio calls (the custom domain when `customDomain` or `publicBaseUrl` is set). */
export const apiUrl = liveBaseUrl;
/** One https URL per callback. */
export const callbackUrls = urls;
/** The Console-only steps, in order, with the values to paste. */
export const manualSteps = pulumi
  .all([urls, twilio.messagingService.sid, domain?.dnsTarget])
  .apply(([callbackUrls, messagingServiceSid, dnsTarget]) =>
    listManualSteps({
      dnsTarget,
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
/** The CloudWatch dashboard of this stack's callbacks and API. */
export const dashboardUrl = monitoring.dashboardUrl;
/** With `customDomain`: the DNS name to point a CNAME (or a Route 53 alias, with the zone id) at. */
export const dnsTarget = domain?.dnsTarget;
