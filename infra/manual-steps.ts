/**
 * The setup steps no public Twilio API can perform (Frontline callbacks and routing, SSO, the
 * Conversations inbound unlock, a messaging service's "Autocreate a Conversation"), in the order to
 * do them, each with the exact values to paste. Exported as the `manualSteps` stack output.
 */
import type { CallbackUrlKey } from "./callbacks.js";
import type { InboundMode } from "./config.js";

export interface ManualStep {
  step: number;
  title: string;
  /** Twilio Console navigation path. */
  where: string;
  what: string;
  /** Console field label -> value to paste or select. */
  values: Record<string, string>;
}

export interface ManualStepsInput {
  callbackUrls: Record<CallbackUrlKey, string>;
  inboundMode: InboundMode;
  conversationsServiceSid: string;
  messagingServiceSid: string;
  smsNumber: string;
  whatsappNumber: string | undefined;
  /** With `customDomain`: the DNS record that makes the callback URLs resolve. */
  dnsTarget?: { name: string; target: string; hostedZoneId: string } | undefined;
}

export function manualSteps(input: ManualStepsInput): ManualStep[] {
  const steps: Array<Omit<ManualStep, "step">> = [];
  // First: every callback URL below, and the Conversations webhooks this stack has already set,
  // use the domain, and none of them answers before its name resolves.
  if (input.dnsTarget) {
    steps.push({
      title: "Point the custom domain at the API",
      where: `Your DNS provider (Route 53: the hosted zone of ${input.dnsTarget.name})`,
      what:
        "Create a CNAME record from the domain to the target below, or in Route 53 an alias A record to it with the " +
        "hosted zone ID below. The callback URLs answer once it resolves.",
      values: {
        "Record name": input.dnsTarget.name,
        "CNAME / alias target": input.dnsTarget.target,
        "Alias hosted zone ID": input.dnsTarget.hostedZoneId,
      },
    });
  }
  steps.push(
    {
      title: "Single sign-on",
      where: "Console > Frontline > Manage > SSO/Log in",
      what:
        "Connect your identity provider (Okta, Microsoft Entra ID, Google, ...) as Twilio's Frontline SSO guide describes; " +
        "each worker's SSO identity must equal the `worker` field of their customers (and defaultWorker, if set).",
      values: {},
    },
    {
      title: "Let Conversations handle inbound messages",
      where: "Console > Conversations > Manage > Defaults",
      what: "Set 'Handle Inbound Messages with Conversations' to Unlocked and save. Check that the defaults this stack set are shown.",
      values: {
        "Handle Inbound Messages with Conversations": "Unlocked",
        "Default Conversation Service (set by this stack)": input.conversationsServiceSid,
        "Default Messaging Service (set by this stack)": input.messagingServiceSid,
      },
    },
  );
  // The program pools the SMS number only: a WhatsApp sender may sit on a number that is not a Twilio
  // phone number of this account, which the sender pool API cannot add.
  if (input.whatsappNumber && input.whatsappNumber.slice("whatsapp:".length) !== input.smsNumber) {
    steps.push({
      title: "Add the WhatsApp sender to the messaging service",
      where: `Console > Messaging > Services > ${input.messagingServiceSid} > Sender Pool`,
      what: "Add Senders > WhatsApp Number, pick the number below and save, so Frontline can send WhatsApp from it.",
      values: { "WhatsApp sender": input.whatsappNumber },
    });
  }
  if (input.inboundMode === "messaging-service") {
    steps.push({
      title: "Autocreate conversations from the messaging service",
      where: `Console > Messaging > Services > ${input.messagingServiceSid} > Integration`,
      what: "Under Incoming Messages select 'Autocreate a Conversation' and save (no API can set this).",
      values: { "Incoming Messages": "Autocreate a Conversation" },
    });
  }
  steps.push(
    {
      title: "Frontline callbacks",
      where: "Console > Frontline > Manage > Callbacks",
      what: "Paste the three URLs and save.",
      values: {
        "CRM Callback URL": input.callbackUrls.crm,
        "Outgoing Conversations Callback URL": input.callbackUrls.outgoingConversation,
        "Templates Callback URL": input.callbackUrls.templates,
      },
    },
    {
      title: "Frontline routing",
      where: "Console > Frontline > Manage > Routing",
      what: "Choose Custom routing, paste the URL and save. (Pool routing would bypass the routing callback.)",
      values: { "Routing type": "Custom routing", "Custom routing callback URL": input.callbackUrls.routing },
    },
  );
  return steps.map((step, index) => ({ step: index + 1, ...step }));
}
