/**
 * A Messaging Service (MG...), the sender pool Frontline sends SMS from. Either created here (and
 * deleted on destroy) or an existing one adopted by SID (the settings Pulumi changes are recorded
 * and restored on destroy; the service itself stays).
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt, reconcile, restore } from "./adopt.js";
import { credentialsFromConfig, isNotFound, resolveCredentials, segment, twilioApi, type TwilioCredentials } from "./api.js";
import { checkInputs, diffInputs, formFor, liveValues, writable, type FieldTable, type Values } from "./fields.js";

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

function serviceUrl(sid: string): string {
  return `https://messaging.twilio.com/v1/Services/${segment(sid)}`;
}

const table: FieldTable = {
  adoptSid: { rule: { kind: "sid", prefix: "MG", what: "Messaging Service" }, identity: true },
  friendlyName: { rule: { kind: "text", max: 64 }, param: "FriendlyName", path: "friendly_name" },
  inboundRequestUrl: { rule: { kind: "https" }, param: "InboundRequestUrl", path: "inbound_request_url" },
  fallbackUrl: { rule: { kind: "https" }, param: "FallbackUrl", path: "fallback_url" },
  statusCallback: { rule: { kind: "https" }, param: "StatusCallback", path: "status_callback" },
  stickySender: { rule: { kind: "bool" }, param: "StickySender", path: "sticky_sender" },
  areaCodeGeomatch: { rule: { kind: "bool" }, param: "AreaCodeGeomatch", path: "area_code_geomatch" },
  useInboundWebhookOnNumber: { rule: { kind: "bool" }, param: "UseInboundWebhookOnNumber", path: "use_inbound_webhook_on_number" },
};

const outputNames = ["sid", "adopted", "previous"];

export class MessagingServiceProvider implements pulumi.dynamic.ResourceProvider<MessagingServiceInputs, MessagingServiceOutputs> {
  private credentials: Partial<TwilioCredentials> = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = credentialsFromConfig(req.config);
  }

  async check(_olds: MessagingServiceInputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.CheckResult<MessagingServiceInputs>> {
    const { inputs, failures } = checkInputs(table, outputNames, { ...news });
    if (inputs["adoptSid"] === undefined && inputs["friendlyName"] === undefined) {
      failures.push({
        property: "friendlyName",
        reason: "friendlyName is required to create a Messaging Service (or set adoptSid to adopt an existing MG... service)",
      });
    }
    return { inputs: inputs as MessagingServiceInputs, failures };
  }

  async diff(_id: string, olds: MessagingServiceOutputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffInputs(table, { ...olds }, { ...news });
  }

  async create(inputs: MessagingServiceInputs): Promise<pulumi.dynamic.CreateResult<MessagingServiceOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const wanted = writable(table, { ...inputs });
    if (inputs.adoptSid) {
      const { previous } = await adopt(api, serviceUrl(inputs.adoptSid), table, wanted);
      return { id: inputs.adoptSid, outs: { ...inputs, sid: inputs.adoptSid, adopted: true, previous } };
    }
    const body = await api.post<{ sid: string }>(SERVICES_URL, formFor(table, wanted));
    return { id: body.sid, outs: { ...inputs, sid: body.sid, adopted: false, previous: {} } };
  }

  async read(id: string, props?: MessagingServiceOutputs): Promise<pulumi.dynamic.ReadResult<MessagingServiceOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    try {
      const body = await api.get<unknown>(serviceUrl(id));
      const live = liveValues(table, body, Object.keys(writable(table, { ...props })));
      return { id, props: { ...(props as MessagingServiceOutputs), ...(live as object) } };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  async update(id: string, olds: MessagingServiceOutputs, news: MessagingServiceInputs): Promise<pulumi.dynamic.UpdateResult<MessagingServiceOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await reconcile(api, serviceUrl(id), table, writable(table, { ...news }), olds.previous as Values, olds.adopted);
    return { outs: { ...news, sid: id, adopted: olds.adopted, previous } };
  }

  async delete(id: string, props: MessagingServiceOutputs): Promise<void> {
    const api = twilioApi(resolveCredentials(this.credentials));
    if (props.adopted) return restore(api, serviceUrl(id), table, props.previous as Values);
    try {
      await api.delete(serviceUrl(id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

const provider = new MessagingServiceProvider();

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
