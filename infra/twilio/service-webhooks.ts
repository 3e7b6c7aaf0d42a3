/**
 * The webhooks of one Conversations service (Console: Conversations > Services > Webhooks): where
 * Twilio sends the pre-event `onConversationAdd` and the post-event `onParticipantAdded` that
 * Frontline's integration answers. A singleton per service: create records the URLs, filters and
 * method found, delete puts them back. The service itself is never created or deleted.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TwilioProvider } from "./api.js";
import { type FieldTable, rules } from "./fields.js";
import { type Declaration, readableDiffs, twilioProvider } from "./provider.js";

/** The events Frontline's integration handles, the default filter set. */
export const FRONTLINE_WEBHOOK_FILTERS = ["onConversationAdd", "onParticipantAdded"] as const;

const SERVICE_WEBHOOK_EVENTS = [
  "onParticipantAdd",
  "onParticipantAdded",
  "onDeliveryUpdated",
  "onConversationUpdated",
  "onConversationRemove",
  "onParticipantRemove",
  "onConversationUpdate",
  "onMessageAdd",
  "onMessageRemoved",
  "onParticipantUpdated",
  "onConversationAdded",
  "onMessageAdded",
  "onConversationAdd",
  "onConversationRemoved",
  "onParticipantUpdate",
  "onMessageRemove",
  "onMessageUpdated",
  "onParticipantRemoved",
  "onMessageUpdate",
  "onConversationStateUpdated",
];

export interface ServiceWebhooksArgs {
  /** `IS...`: the Conversations service Frontline uses. Changing it replaces the resource. */
  conversationServiceSid: pulumi.Input<string>;
  /** https URL of the pre-event webhook (the `/callbacks/twilio-conversations` route). */
  preWebhookUrl: pulumi.Input<string>;
  /** https URL of the post-event webhook (usually the same route). */
  postWebhookUrl: pulumi.Input<string>;
  /** Events to send; must include `onConversationAdd` and `onParticipantAdded`. Defaults to exactly those. */
  filters?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface ServiceWebhooksInputs {
  conversationServiceSid: string;
  preWebhookUrl: string;
  postWebhookUrl: string;
  filters: string[];
  /** Always `POST`: the callbacks read a form body. Recorded and restored like the rest. */
  method: "POST";
}

export interface ServiceWebhooksOutputs extends ServiceWebhooksInputs {
  previous: {
    preWebhookUrl?: string | null;
    postWebhookUrl?: string | null;
    filters?: string[] | null;
    method?: string | null;
  };
}

const SERVICES_URL = "https://conversations.twilio.com/v1/Services";

const table: FieldTable = {
  conversationServiceSid: { ...rules.sid("IS", "Conversations service"), required: true, identity: true },
  // The spec types all four as plain strings (URLs: format uri) and a list: each can be sent empty.
  preWebhookUrl: { ...rules.https(), required: true, param: "PreWebhookUrl", clearable: true },
  postWebhookUrl: {
    ...rules.https(),
    required: true,
    param: "PostWebhookUrl",
    clearable: true,
  },
  filters: {
    ...rules.events(SERVICE_WEBHOOK_EVENTS, FRONTLINE_WEBHOOK_FILTERS),
    defaultValue: [...FRONTLINE_WEBHOOK_FILTERS],
    param: "Filters",
    clearable: true,
  },
  method: { ...rules.oneOf(["POST"]), defaultValue: "POST", param: "Method", clearable: true },
};

/** A singleton per service, always adopted; its id is the service SID. */
export const serviceWebhooksDeclaration: Declaration = {
  table,
  outputs: ["previous"],
  /** Restore before adopting again, as for every singleton, so `previous` never records our own values. */
  replaceFirst: true,
  /** Gone (20404) when the service was deleted outside Pulumi, and its webhooks with it. */
  url: `${SERVICES_URL}/{}/Configuration/Webhooks`,
  async find(api, { conversationServiceSid: id }) {
    return [{ id: String(id), body: await api.get(api.at(this.url, String(id))) }];
  },
};

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function serviceWebhooksProvider(): TwilioProvider<ServiceWebhooksInputs, ServiceWebhooksOutputs> {
  return twilioProvider(serviceWebhooksDeclaration);
}

const provider = serviceWebhooksProvider();

/** Points a Conversations service's webhooks at the callbacks; destroy restores the previous ones. */
export class ServiceWebhooks extends pulumi.dynamic.Resource {
  declare readonly conversationServiceSid: pulumi.Output<string>;
  declare readonly preWebhookUrl: pulumi.Output<string>;
  declare readonly postWebhookUrl: pulumi.Output<string>;
  declare readonly filters: pulumi.Output<string[]>;
  declare readonly method: pulumi.Output<"POST">;
  declare readonly previous: pulumi.Output<ServiceWebhooksOutputs["previous"]>;

  constructor(name: string, args: ServiceWebhooksArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, method: undefined, previous: undefined },
      readableDiffs(opts),
      "twilio",
      "ServiceWebhooks",
    );
  }
}
