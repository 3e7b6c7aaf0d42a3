/**
 * Inbound autocreation for one address (Conversations > Address Configurations): a message to the
 * number starts a conversation in the Frontline service. This is the API-settable alternative to the
 * Messaging Service's Console-only "Autocreate a Conversation". One configuration exists per
 * address: an existing one is adopted (its autocreation settings recorded, restored on destroy),
 * otherwise one is created (and deleted on destroy).
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt, reconcile, restore } from "./adopt.js";
import { credentialsFromConfig, isNotFound, resolveCredentials, segment, twilioApi, type TwilioApi, type TwilioCredentials } from "./api.js";
import { checkInputs, diffInputs, formFor, liveValues, writable, type FieldTable, type Values } from "./fields.js";

export interface AddressConfigurationArgs {
  /** The number: E.164 (`+14155550100`) for SMS, `whatsapp:+14155550100` for WhatsApp. Changing it replaces the resource. */
  address: pulumi.Input<string>;
  /** `sms` or `whatsapp`; defaults from the address. Changing it replaces the resource. */
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

const ADDRESSES_URL = "https://conversations.twilio.com/v1/Configuration/Addresses";

/** Twilio accepts the SID or the address itself in this position. */
function addressUrl(sidOrAddress: string): string {
  return `${ADDRESSES_URL}/${segment(sidOrAddress)}`;
}

const table: FieldTable = {
  address: { rule: { kind: "address" }, required: true, identity: true },
  type: { rule: { kind: "oneOf", values: ["sms", "whatsapp"] }, identity: true },
  conversationServiceSid: {
    rule: { kind: "sid", prefix: "IS", what: "Conversations service" },
    required: true,
    param: "AutoCreation.ConversationServiceSid",
    path: "auto_creation.conversation_service_sid",
  },
  friendlyName: { rule: { kind: "text", max: 256 }, param: "FriendlyName", path: "friendly_name" },
  autoCreationEnabled: { rule: { kind: "bool" }, default: true, param: "AutoCreation.Enabled", path: "auto_creation.enabled" },
  autoCreationType: { rule: { kind: "oneOf", values: ["default"] }, default: "default", param: "AutoCreation.Type", path: "auto_creation.type" },
};

const outputNames = ["sid", "adopted", "previous"];

/** The existing configuration for the address, if any. */
async function findExisting(api: TwilioApi, address: string): Promise<{ sid: string; type: string } | undefined> {
  try {
    return await api.get<{ sid: string; type: string }>(addressUrl(address));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export class AddressConfigurationProvider implements pulumi.dynamic.ResourceProvider<AddressConfigurationInputs, AddressConfigurationOutputs> {
  private credentials: Partial<TwilioCredentials> = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = credentialsFromConfig(req.config);
  }

  async check(_olds: AddressConfigurationInputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.CheckResult<AddressConfigurationInputs>> {
    const given = { ...news } as Record<string, unknown>;
    if (given["type"] === undefined && typeof given["address"] === "string") {
      given["type"] = given["address"].startsWith("whatsapp:") ? "whatsapp" : "sms";
    }
    const { inputs, failures } = checkInputs(table, outputNames, given);
    return { inputs: inputs as unknown as AddressConfigurationInputs, failures };
  }

  async diff(_id: string, olds: AddressConfigurationOutputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces } = diffInputs(table, { ...olds }, { ...news });
    // An address has one configuration: give the old one back before taking it (or another) again.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async create(inputs: AddressConfigurationInputs): Promise<pulumi.dynamic.CreateResult<AddressConfigurationOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const wanted = writable(table, { ...inputs });
    const existing = await findExisting(api, inputs.address);
    if (existing) {
      if (existing.type !== inputs.type) {
        throw new Error(`address ${inputs.address} already has an Address Configuration ${existing.sid} of type "${existing.type}", not "${inputs.type}": set type to "${existing.type}" or remove that configuration first`);
      }
      const { previous } = await adopt(api, addressUrl(existing.sid), table, wanted, existing);
      return { id: existing.sid, outs: { ...inputs, sid: existing.sid, adopted: true, previous } };
    }
    const body = await api.post<{ sid: string }>(ADDRESSES_URL, { Type: inputs.type, Address: inputs.address, ...formFor(table, wanted) });
    return { id: body.sid, outs: { ...inputs, sid: body.sid, adopted: false, previous: {} } };
  }

  async read(id: string, props?: AddressConfigurationOutputs): Promise<pulumi.dynamic.ReadResult<AddressConfigurationOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    try {
      const body = await api.get<unknown>(addressUrl(id));
      const live = liveValues(table, body, Object.keys(writable(table, { ...props })));
      return { id, props: { ...(props as AddressConfigurationOutputs), ...(live as object) } };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  async update(id: string, olds: AddressConfigurationOutputs, news: AddressConfigurationInputs): Promise<pulumi.dynamic.UpdateResult<AddressConfigurationOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await reconcile(api, addressUrl(id), table, writable(table, { ...news }), olds.previous as Values, olds.adopted);
    return { outs: { ...news, sid: id, adopted: olds.adopted, previous } };
  }

  async delete(id: string, props: AddressConfigurationOutputs): Promise<void> {
    const api = twilioApi(resolveCredentials(this.credentials));
    if (props.adopted) return restore(api, addressUrl(id), table, props.previous as Values);
    try {
      await api.delete(addressUrl(id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

const provider = new AddressConfigurationProvider();

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
