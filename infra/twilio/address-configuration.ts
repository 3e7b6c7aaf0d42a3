/**
 * Inbound autocreation for one address (Conversations > Address Configurations): a message to the
 * number starts a conversation in the Frontline service. This is the API-settable alternative to the
 * Messaging Service's Console-only "Autocreate a Conversation". One configuration exists per
 * address: an existing one is adopted (its autocreation settings recorded, restored on destroy),
 * otherwise one is created (and deleted on destroy).
 */
import * as pulumi from "@pulumi/pulumi";
import type { TwilioProvider } from "./api.js";
import { type FieldTable, rules } from "./fields.js";
import { type Declaration, readableDiffs, twilioProvider } from "./provider.js";

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
  },
  friendlyName: { ...rules.text(256), param: "FriendlyName", clearable: true },
  autoCreationEnabled: {
    ...rules.bool(),
    defaultValue: true,
    param: "AutoCreation.Enabled",
  },
  // An enum (webhook|studio|default) and a SID pattern: neither can be sent empty. Restoring a
  // configuration that had none leaves ours in place; the restored `enabled: false` keeps it unused.
  autoCreationType: {
    ...rules.oneOf(["default"]),
    defaultValue: "default",
    param: "AutoCreation.Type",
  },
};

/** One configuration per address: the address is the natural key, read before and after the create. */
export const addressConfigurationDeclaration: Declaration = {
  table,
  outputs: ["sid", "adopted", "previous"],
  idOutput: "sid",
  foundFlag: "adopted",
  // An address has one configuration: give the old one back before taking it (or another) again.
  replaceFirst: true,
  defaults: ({ address, type }) => ({ type: type ?? (String(address).startsWith("whatsapp:") ? "whatsapp" : "sms") }),
  url: `${ADDRESSES_URL}/{}`,
  /** The type of a configuration cannot change: adopting one of another type would not do what was asked. */
  async find(api, subject) {
    const existing = await api.ifFound(
      api.get<{ sid: string; type: string }>(api.at(this.url, String(subject["address"]))),
    );
    if (!existing) return [];
    if (existing.type !== subject["type"]) {
      throw new Error(
        `address ${subject["address"]} has the ${existing.type} Address Configuration ${existing.sid}: set type "${existing.type}", or delete it first`,
      );
    }
    return [{ id: existing.sid, body: existing }];
  },
  async create(api, subject, form) {
    const all = { Type: subject["type"]!, Address: subject["address"]!, ...form };
    return (await api.post<{ sid: string }>(ADDRESSES_URL, all, { once: true })).sid;
  },
};

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function addressConfigurationProvider(): TwilioProvider<
  AddressConfigurationInputs,
  AddressConfigurationOutputs
> {
  return twilioProvider(addressConfigurationDeclaration);
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
    super(
      provider,
      name,
      { ...args, sid: undefined, adopted: undefined, previous: undefined },
      readableDiffs(opts),
      "twilio",
      "AddressConfiguration",
    );
  }
}
