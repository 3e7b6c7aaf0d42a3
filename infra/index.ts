/**
 * The Pulumi program: the stack config, validated, fed to the FrontlineStack component
 * (infra/frontline-stack.ts), and its outputs exported.
 */
import { loadStackConfig } from "./config.js";
import { FrontlineStack } from "./frontline-stack.js";

const frontline = new FrontlineStack("frontline", loadStackConfig());

/** The base URL Twilio calls (the custom domain when `customDomain` or `publicBaseUrl` is set). */
export const apiUrl = frontline.apiUrl;
/** One https URL per callback. */
export const callbackUrls = frontline.callbackUrls;
/** The Console-only steps, in order, with the values to paste. */
export const manualSteps = frontline.manualSteps;
export const messagingServiceSid = frontline.messagingServiceSid;
/** Feed it to the import: npm run customers:import -- --table "$(pulumi stack output customersTable)" customers.json */
export const customersTable = frontline.customersTable;
/** The CloudWatch dashboard of this stack's callbacks and API. */
export const dashboardUrl = frontline.dashboardUrl;
/** With `customDomain`: the DNS name to point a CNAME (or a Route 53 alias, with the zone id) at. */
export const dnsTarget = frontline.dnsTarget;
