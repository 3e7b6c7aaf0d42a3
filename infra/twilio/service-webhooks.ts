/**
 * The webhooks of one Conversations service (Console: Conversations > Services > Webhooks): where
 * Twilio sends the pre-event `onConversationAdd` and the post-event `onParticipantAdded` that
 * Frontline's integration answers. A singleton per service: create records the URLs, filters and
 * method found, delete puts them back. The service itself is never created or deleted.
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt, reconcile, restore } from "./adopt.js";
import { credentialsFromConfig, isNotFound, resolveCredentials, segment, twilioApi, type TwilioCredentials } from "./api.js";
import { checkInputs, diffInputs, liveValues, writable, type FieldTable, type Values } from "./fields.js";

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

function webhooksUrl(serviceSid: string): string {
  return `https://conversations.twilio.com/v1/Services/${segment(serviceSid)}/Configuration/Webhooks`;
}

const table: FieldTable = {
  conversationServiceSid: { rule: { kind: "sid", prefix: "IS", what: "Conversations service" }, required: true, identity: true },
  preWebhookUrl: { rule: { kind: "https" }, required: true, param: "PreWebhookUrl", path: "pre_webhook_url" },
  postWebhookUrl: { rule: { kind: "https" }, required: true, param: "PostWebhookUrl", path: "post_webhook_url" },
  filters: {
    rule: { kind: "events", values: SERVICE_WEBHOOK_EVENTS, mustInclude: FRONTLINE_WEBHOOK_FILTERS },
    default: [...FRONTLINE_WEBHOOK_FILTERS],
    param: "Filters",
    path: "filters",
  },
  method: { rule: { kind: "oneOf", values: ["POST"] }, default: "POST", param: "Method", path: "method" },
};

const outputNames = ["previous"];

export class ServiceWebhooksProvider implements pulumi.dynamic.ResourceProvider<ServiceWebhooksInputs, ServiceWebhooksOutputs> {
  private credentials: Partial<TwilioCredentials> = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = credentialsFromConfig(req.config);
  }

  async check(_olds: ServiceWebhooksInputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.CheckResult<ServiceWebhooksInputs>> {
    const { inputs, failures } = checkInputs(table, outputNames, { ...news });
    return { inputs: inputs as unknown as ServiceWebhooksInputs, failures };
  }

  async diff(_id: string, olds: ServiceWebhooksOutputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces } = diffInputs(table, { ...olds }, { ...news });
    // Restore before adopting again, as for every singleton, so `previous` never records our own values.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async create(inputs: ServiceWebhooksInputs): Promise<pulumi.dynamic.CreateResult<ServiceWebhooksOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await adopt(api, webhooksUrl(inputs.conversationServiceSid), table, writable(table, { ...inputs }));
    return { id: inputs.conversationServiceSid, outs: { ...inputs, previous } };
  }

  async read(id: string, props?: ServiceWebhooksOutputs): Promise<pulumi.dynamic.ReadResult<ServiceWebhooksOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    try {
      const body = await api.get<unknown>(webhooksUrl(id));
      const live = liveValues(table, body, Object.keys(writable(table, { ...props })));
      return { id, props: { ...(props as ServiceWebhooksOutputs), ...(live as object) } };
    } catch (error) {
      // The service was deleted outside Pulumi, and its webhooks with it.
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  async update(id: string, olds: ServiceWebhooksOutputs, news: ServiceWebhooksInputs): Promise<pulumi.dynamic.UpdateResult<ServiceWebhooksOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await reconcile(api, webhooksUrl(id), table, writable(table, { ...news }), olds.previous as Values, true);
    return { outs: { ...news, previous } };
  }

  async delete(id: string, props: ServiceWebhooksOutputs): Promise<void> {
    const api = twilioApi(resolveCredentials(this.credentials));
    await restore(api, webhooksUrl(id), table, props.previous as Values);
  }
}

const provider = new ServiceWebhooksProvider();

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
