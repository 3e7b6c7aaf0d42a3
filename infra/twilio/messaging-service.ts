/**
 * A Messaging Service (MG...), the sender pool Frontline sends SMS from. Either created here (and
 * deleted on destroy) or an existing one adopted by SID (the settings Pulumi changes are recorded
 * and restored on destroy; the service itself stays).
 */
import * as pulumi from "@pulumi/pulumi";
import { adoption } from "./adopt.js";
import { twilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

export interface MessagingServiceArgs {
  /** `MG...` of an existing service to adopt instead of creating one. Changing it replaces the resource. */
  adoptSid?: pulumi.Input<string>;
  /** Name shown in Console (at most 64 characters). Required when creating. */
  friendlyName?: pulumi.Input<string>;
  /** https URL Twilio calls for inbound messages ("Send a webhook"). */
  inboundRequestUrl?: pulumi.Input<string>;
  /** https URL Twilio calls when `inboundRequestUrl` fails. */
  fallbackUrl?: pulumi.Input<string>;
  /** https URL for message status callbacks. */
  statusCallback?: pulumi.Input<string>;
  /** Keep sending to a contact from the same number. */
  stickySender?: pulumi.Input<boolean>;
  /** Prefer a sender with the contact's area code. */
  areaCodeGeomatch?: pulumi.Input<boolean>;
  /** Let each number's own webhook handle inbound messages ("Defer to sender's webhook"). */
  useInboundWebhookOnNumber?: pulumi.Input<boolean>;
}

export interface MessagingServiceInputs {
  adoptSid?: string;
  friendlyName?: string;
  inboundRequestUrl?: string;
  fallbackUrl?: string;
  statusCallback?: string;
  stickySender?: boolean;
  areaCodeGeomatch?: boolean;
  useInboundWebhookOnNumber?: boolean;
}

export interface MessagingServiceOutputs extends MessagingServiceInputs {
  sid: string;
  /** True when the service existed before (adoptSid): destroy restores `previous` instead of deleting. */
  adopted: boolean;
  previous: Partial<Record<Exclude<keyof MessagingServiceInputs, "adoptSid">, string | boolean | null>>;
}

const SERVICES_URL = "https://messaging.twilio.com/v1/Services";

const table: FieldTable = {
  adoptSid: { ...rules.sid("MG", "Messaging Service"), identity: true },
  friendlyName: { ...rules.text(64), param: "FriendlyName", path: "friendly_name" },
  inboundRequestUrl: { ...rules.https(), param: "InboundRequestUrl", path: "inbound_request_url" },
  fallbackUrl: { ...rules.https(), param: "FallbackUrl", path: "fallback_url" },
  statusCallback: { ...rules.https(), param: "StatusCallback", path: "status_callback" },
  stickySender: { ...rules.bool(), param: "StickySender", path: "sticky_sender" },
  areaCodeGeomatch: { ...rules.bool(), param: "AreaCodeGeomatch", path: "area_code_geomatch" },
  useInboundWebhookOnNumber: { ...rules.bool(), param: "UseInboundWebhookOnNumber", path: "use_inbound_webhook_on_number" },
};

const outputNames = ["sid", "adopted", "previous"];

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function messagingServiceProvider(): TwilioProvider<MessagingServiceInputs, MessagingServiceOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: MessagingServiceInputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.CheckResult<MessagingServiceInputs>> {
      const { inputs, failures } = argumentTable(table).check(news, outputNames);
      if (inputs["adoptSid"] === undefined && inputs["friendlyName"] === undefined) {
        failures.push({
          property: "friendlyName",
          reason: "friendlyName is required to create a Messaging Service (or set adoptSid to adopt an existing MG... service)",
        });
      }
      return { inputs: inputs as MessagingServiceInputs, failures };
    },

    async diff(_id: string, olds: MessagingServiceOutputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.DiffResult> {
      return argumentTable(table).diff(olds, news);
    },

    async create(inputs: MessagingServiceInputs): Promise<pulumi.dynamic.CreateResult<MessagingServiceOutputs>> {
      const api = twilioApi(this.config);
      const args = argumentTable(table);
      if (inputs.adoptSid) {
        const { previous } = await adoption(api, table).adopt(api.url(SERVICES_URL, inputs.adoptSid), args.writable(inputs));
        return { id: inputs.adoptSid, outs: { ...inputs, sid: inputs.adoptSid, adopted: true, previous } };
      }
      const body = await api.post<{ sid: string }>(SERVICES_URL, args.form(args.writable(inputs)));
      return { id: body.sid, outs: { ...inputs, sid: body.sid, adopted: false, previous: {} } };
    },

    async read(id: string, props?: MessagingServiceOutputs): Promise<pulumi.dynamic.ReadResult<MessagingServiceOutputs>> {
      const api = twilioApi(this.config);
      return adoption(api, table).read(id, api.url(SERVICES_URL, id), props);
    },

    async update(id: string, olds: MessagingServiceOutputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.UpdateResult<MessagingServiceOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).reconcile(api.url(SERVICES_URL, id), argumentTable(table).writable(news), olds.previous as Values, olds.adopted);
      return { outs: { ...news, sid: id, adopted: olds.adopted, previous } };
    },

    async delete(id: string, props: MessagingServiceOutputs): Promise<void> {
      const api = twilioApi(this.config);
      if (props.adopted) return adoption(api, table).restore(api.url(SERVICES_URL, id), props.previous as Values);
      await api.ifFound(api.delete(api.url(SERVICES_URL, id)));
    },
  };
}

const provider = messagingServiceProvider();

/** Creates a Messaging Service, or adopts one by SID; destroy deletes what it created and restores what it adopted. */
export class MessagingService extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly friendlyName: pulumi.Output<string | undefined>;
  declare readonly previous: pulumi.Output<MessagingServiceOutputs["previous"]>;

  constructor(name: string, args: MessagingServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, sid: undefined, adopted: undefined, previous: undefined }, opts, "twilio", "MessagingService");
  }
}
