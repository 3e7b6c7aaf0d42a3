/**
 * Inbound autocreation for one address (Conversations > Address Configurations): a message to the
 * number starts a conversation in the Frontline service. This is the API-settable alternative to the
 * Messaging Service's Console-only "Autocreate a Conversation". One configuration exists per
 * address: an existing one is adopted (its autocreation settings recorded, restored on destroy),
 * otherwise one is created (and deleted on destroy).
 */
import * as pulumi from "@pulumi/pulumi";
import { adoption } from "./adopt.js";
import { twilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

export interface AddressConfigurationArgs {
  /** The number: E.164 (`+14155550100`), or `whatsapp:+14155550100`. Changing it replaces the resource. */
  address: pulumi.Input<string>;
  /** `sms` or `whatsapp`; by default `whatsapp` for a `whatsapp:` address, else `sms`. Changing it replaces the resource. */
  type?: pulumi.Input<"sms" | "whatsapp">;
  /** `IS...`: the service new conversations are created in (Frontline's). */
  conversationServiceSid: pulumi.Input<string>;
  /** Name shown in Console (at most 256 characters). Left untouched when omitted. */
  friendlyName?: pulumi.Input<string>;
}

export interface AddressConfigurationInputs {
  address: string;
  type: "sms" | "whatsapp";
  conversationServiceSid: string;
  friendlyName?: string;
  /** Always true / `default`: autocreate, with the service's own webhooks (no per-conversation webhook). */
  autoCreationEnabled: true;
  autoCreationType: "default";
}

export interface AddressConfigurationOutputs extends AddressConfigurationInputs {
  /** `IG...` */
  sid: string;
  /** The configuration existed before Pulumi: destroy restores `previous` instead of deleting it. */
  adopted: boolean;
  previous: {
    conversationServiceSid?: string | null;
    friendlyName?: string | null;
    autoCreationEnabled?: boolean | null;
    autoCreationType?: string | null;
  };
}

/** `${ADDRESSES_URL}/<sid or address>`: Twilio takes the address itself in place of the SID. */
const ADDRESSES_URL = "https://conversations.twilio.com/v1/Configuration/Addresses";

const table: FieldTable = {
  address: { ...rules.address(), required: true, identity: true },
  type: { ...rules.oneOf(["sms", "whatsapp"]), identity: true },
  conversationServiceSid: {
    ...rules.sid("IS", "Conversations service"),
    required: true,
    param: "AutoCreation.ConversationServiceSid",
    path: "auto_creation.conversation_service_sid",
  },
  friendlyName: { ...rules.text(256), param: "FriendlyName", path: "friendly_name" },
  autoCreationEnabled: { ...rules.bool(), defaultValue: true, param: "AutoCreation.Enabled", path: "auto_creation.enabled" },
  autoCreationType: { ...rules.oneOf(["default"]), defaultValue: "default", param: "AutoCreation.Type", path: "auto_creation.type" },
};

const outputNames = ["sid", "adopted", "previous"];

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function addressConfigurationProvider(): TwilioProvider<AddressConfigurationInputs, AddressConfigurationOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: AddressConfigurationInputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.CheckResult<AddressConfigurationInputs>> {
      const given: Record<string, unknown> = { ...news };
      if (given["type"] === undefined && typeof given["address"] === "string") given["type"] = given["address"].startsWith("whatsapp:") ? "whatsapp" : "sms";
      const { inputs, failures } = argumentTable(table).check(given, outputNames);
      return { inputs: inputs as unknown as AddressConfigurationInputs, failures };
    },

    async diff(_id: string, olds: AddressConfigurationOutputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.DiffResult> {
      const { changes, replaces } = argumentTable(table).diff(olds, news);
      // An address has one configuration: give the old one back before taking it (or another) again.
      return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(inputs: AddressConfigurationInputs): Promise<pulumi.dynamic.CreateResult<AddressConfigurationOutputs>> {
      const api = twilioApi(this.config);
      const args = argumentTable(table);
      const existing = await api.ifFound(api.get<{ sid: string; type: string }>(api.url(ADDRESSES_URL, inputs.address)));
      if (existing) {
        // The type of a configuration cannot change: adopting one of another type would not do what was asked.
        if (existing.type !== inputs.type) throw new Error(`address ${inputs.address} already has the ${existing.type} Address Configuration ${existing.sid}: set type "${existing.type}", or delete that configuration first`);
        const { previous } = await adoption(api, table).adopt(api.url(ADDRESSES_URL, existing.sid), args.writable(inputs), existing);
        return { id: existing.sid, outs: { ...inputs, sid: existing.sid, adopted: true, previous } };
      }
      const body = await api.post<{ sid: string }>(ADDRESSES_URL, { Type: inputs.type, Address: inputs.address, ...args.form(args.writable(inputs)) });
      return { id: body.sid, outs: { ...inputs, sid: body.sid, adopted: false, previous: {} } };
    },

    async read(id: string, props?: AddressConfigurationOutputs): Promise<pulumi.dynamic.ReadResult<AddressConfigurationOutputs>> {
      const api = twilioApi(this.config);
      return adoption(api, table).read(id, api.url(ADDRESSES_URL, id), props);
    },

    async update(id: string, olds: AddressConfigurationOutputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.UpdateResult<AddressConfigurationOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).reconcile(api.url(ADDRESSES_URL, id), argumentTable(table).writable(news), olds.previous as Values, olds.adopted);
      return { outs: { ...news, sid: id, adopted: olds.adopted, previous } };
    },

    async delete(id: string, props: AddressConfigurationOutputs): Promise<void> {
      const api = twilioApi(this.config);
      if (props.adopted) return adoption(api, table).restore(api.url(ADDRESSES_URL, id), props.previous as Values);
      await api.ifFound(api.delete(api.url(ADDRESSES_URL, id)));
    },
  };
}

const provider = addressConfigurationProvider();

/** Makes inbound messages to an address autocreate conversations in a service; destroy restores or deletes. */
export class AddressConfiguration extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly address: pulumi.Output<string>;
  declare readonly type: pulumi.Output<"sms" | "whatsapp">;
  declare readonly conversationServiceSid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly previous: pulumi.Output<AddressConfigurationOutputs["previous"]>;

  constructor(name: string, args: AddressConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, sid: undefined, adopted: undefined, previous: undefined }, opts, "twilio", "AddressConfiguration");
  }
}
