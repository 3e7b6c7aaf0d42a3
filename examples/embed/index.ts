/**
 * Frontline Stack inside a program of your own: the component is one resource among yours, fed
 * from your own configuration, and its outputs are ordinary Pulumi outputs to wire further.
 *
 *   cd examples/embed && pulumi stack init dev
 *   pulumi config set aws:region us-east-1
 *   pulumi config set twilio:accountSid AC...                 # also read by the Twilio providers
 *   pulumi config set --secret twilio:authToken <auth token>
 *   pulumi config set conversationsServiceSid IS...
 *   pulumi config set smsNumber +15551230001
 *   pulumi up
 *
 * In your own repository, import the component from wherever you vendor this package
 * (`frontline-stack/infra/frontline-stack.js`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FrontlineStack } from "../../infra/frontline-stack.js";

const config = new pulumi.Config();
const twilio = new pulumi.Config("twilio");

const frontline = new FrontlineStack("frontline", {
  accountSid: twilio.require("accountSid"),
  authToken: twilio.requireSecret("authToken"),
  conversationsServiceSid: config.require("conversationsServiceSid"),
  smsNumber: config.require("smsNumber"),
  defaultWorker: config.get("defaultWorker"),
  logRetentionDays: 30,
});

// Something of your own that uses the stack's outputs: the CRM callback URL published where your
// other systems look up service endpoints.
const crmUrl = new aws.ssm.Parameter("frontline-crm-url", {
  type: "String",
  name: `/${pulumi.getProject()}/${pulumi.getStack()}/frontline-crm-url`,
  value: frontline.callbackUrls.apply((urls) => urls.crm),
});

export const callbackUrls = frontline.callbackUrls;
export const manualSteps = frontline.manualSteps;
export const customersTable = frontline.customersTable;
export const crmUrlParameter = crmUrl.name;
