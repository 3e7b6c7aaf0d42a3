/**
 * The webhooks of one Conversations service (Console: Conversations > Services > Webhooks): where
 * Twilio sends the pre-event `onConversationAdd` and the post-event `onParticipantAdded` that
 * Frontline's integration answers. A singleton per service: create records the URLs, filters and
 * method found, delete puts them back. The service itself is never created or deleted.
 */
import * as pulumi from "@pulumi/pulumi";
import { adoption } from "./adopt.js";
import { twilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

/** The events Frontline's integration handles, the default filter set. */
export const FRONTLINE_WEBHOOK_FILTERS = ["onConversationAdd", "onParticipantAdded"] as const;

const SERVICE_WEBHOOK_EVENTS = [
  "onParticipantAdd", "onParticipantAdded", "onDeliveryUpdated", "onConversationUpdated", "onConversationRemove",
  "onParticipantRemove", "onConversationUpdate", "onMessageAdd", "onMessageRemoved", "onParticipantUpdated",
  "onConversationAdded", "onMessageAdded", "onConversationAdd", "onConversationRemoved", "onParticipantUpdate",
  "onMessageRemove", "onMessageUpdated", "onParticipantRemoved", "onMessageUpdate", "onConversationStateUpdated",
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
  previous: { preWebhookUrl?: string | null; postWebhookUrl?: string | null; filters?: string[] | null; method?: string | null };
}

const SERVICES_URL = "https://conversations.twilio.com/v1/Services";

const table: FieldTable = {
  conversationServiceSid: { ...rules.sid("IS", "Conversations service"), required: true, identity: true },
  preWebhookUrl: { ...rules.https(), required: true, param: "PreWebhookUrl", path: "pre_webhook_url" },
  postWebhookUrl: { ...rules.https(), required: true, param: "PostWebhookUrl", path: "post_webhook_url" },
  filters: {
    ...rules.events(SERVICE_WEBHOOK_EVENTS, FRONTLINE_WEBHOOK_FILTERS),
    defaultValue: [...FRONTLINE_WEBHOOK_FILTERS],
    param: "Filters",
    path: "filters",
  },
  method: { ...rules.oneOf(["POST"]), defaultValue: "POST", param: "Method", path: "method" },
};

const outputNames = ["previous"];

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function serviceWebhooksProvider(): TwilioProvider<ServiceWebhooksInputs, ServiceWebhooksOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: ServiceWebhooksInputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.CheckResult<ServiceWebhooksInputs>> {
      const { inputs, failures } = argumentTable(table).check(news, outputNames);
      return { inputs: inputs as unknown as ServiceWebhooksInputs, failures };
    },

    async diff(_id: string, olds: ServiceWebhooksOutputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.DiffResult> {
      const { changes, replaces } = argumentTable(table).diff(olds, news);
      // Restore before adopting again, as for every singleton, so `previous` never records our own values.
      return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(inputs: ServiceWebhooksInputs): Promise<pulumi.dynamic.CreateResult<ServiceWebhooksOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).adopt(api.url(SERVICES_URL, inputs.conversationServiceSid, "Configuration", "Webhooks"), argumentTable(table).writable(inputs));
      return { id: inputs.conversationServiceSid, outs: { ...inputs, previous } };
    },

    async read(id: string, props?: ServiceWebhooksOutputs): Promise<pulumi.dynamic.ReadResult<ServiceWebhooksOutputs>> {
      // Gone (20404) when the service was deleted outside Pulumi, and its webhooks with it.
      const api = twilioApi(this.config);
      return adoption(api, table).read(id, api.url(SERVICES_URL, id, "Configuration", "Webhooks"), props);
    },

    async update(id: string, olds: ServiceWebhooksOutputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.UpdateResult<ServiceWebhooksOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).reconcile(api.url(SERVICES_URL, id, "Configuration", "Webhooks"), argumentTable(table).writable(news), olds.previous as Values, true);
      return { outs: { ...news, previous } };
    },

    async delete(id: string, props: ServiceWebhooksOutputs): Promise<void> {
      const api = twilioApi(this.config);
      await adoption(api, table).restore(api.url(SERVICES_URL, id, "Configuration", "Webhooks"), props.previous as Values);
    },
  };
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
    super(provider, name, { ...args, method: undefined, previous: undefined }, opts, "twilio", "ServiceWebhooks");
  }
}
