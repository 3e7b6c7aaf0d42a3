/**
 * The account's Conversations defaults (Console: Conversations > Defaults): which Conversations
 * service and which Messaging Service new conversations use. Frontline needs its own service to be
 * the default. A singleton: create records the values found, delete puts them back.
 */
import * as pulumi from "@pulumi/pulumi";
import { adoption } from "./adopt.js";
import { twilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

export interface ConversationsDefaultsArgs {
  /** `IS...`: the Conversations service new conversations go to; for Frontline, its "Frontline Service". */
  defaultChatServiceSid: pulumi.Input<string>;
  /** `MG...`: the Messaging Service Conversations sends SMS through. Left untouched when omitted. */
  defaultMessagingServiceSid?: pulumi.Input<string>;
}

export interface ConversationsDefaultsInputs {
  defaultChatServiceSid: string;
  defaultMessagingServiceSid?: string;
}

export interface ConversationsDefaultsOutputs extends ConversationsDefaultsInputs {
  accountSid: string;
  /** The values found before Pulumi set each field; delete writes them back. */
  previous: { defaultChatServiceSid?: string | null; defaultMessagingServiceSid?: string | null };
}

const CONFIGURATION_URL = "https://conversations.twilio.com/v1/Configuration";

const table: FieldTable = {
  defaultChatServiceSid: {
    ...rules.sid("IS", "Conversations service"),
    required: true,
    param: "DefaultChatServiceSid",
    path: "default_chat_service_sid",
  },
  defaultMessagingServiceSid: {
    ...rules.sid("MG", "Messaging Service"),
    param: "DefaultMessagingServiceSid",
    path: "default_messaging_service_sid",
  },
};

const outputNames = ["accountSid", "previous"];

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function conversationsDefaultsProvider(): TwilioProvider<ConversationsDefaultsInputs, ConversationsDefaultsOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: ConversationsDefaultsInputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.CheckResult<ConversationsDefaultsInputs>> {
      const { inputs, failures } = argumentTable(table).check(news, outputNames);
      return { inputs: inputs as unknown as ConversationsDefaultsInputs, failures };
    },

    async diff(_id: string, olds: ConversationsDefaultsOutputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.DiffResult> {
      return argumentTable(table).diff(olds, news);
    },

    async create(inputs: ConversationsDefaultsInputs): Promise<pulumi.dynamic.CreateResult<ConversationsDefaultsOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).adopt(CONFIGURATION_URL, argumentTable(table).writable(inputs));
      return { id: api.accountSid, outs: { ...inputs, accountSid: api.accountSid, previous } };
    },

    async read(id: string, props?: ConversationsDefaultsOutputs): Promise<pulumi.dynamic.ReadResult<ConversationsDefaultsOutputs>> {
      return adoption(twilioApi(this.config), table).read(id, CONFIGURATION_URL, props);
    },

    async update(_id: string, olds: ConversationsDefaultsOutputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.UpdateResult<ConversationsDefaultsOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).reconcile(CONFIGURATION_URL, argumentTable(table).writable(news), olds.previous as Values, true);
      return { outs: { ...news, accountSid: olds.accountSid, previous } };
    },

    async delete(_id: string, props: ConversationsDefaultsOutputs): Promise<void> {
      await adoption(twilioApi(this.config), table).restore(CONFIGURATION_URL, props.previous as Values);
    },
  };
}

/** The one instance `dynamic.Resource` serializes; it is never configured in the program's process. */
const provider = conversationsDefaultsProvider();

/** Sets the account's default Conversations service (and Messaging Service); destroy restores the old ones. */
export class ConversationsDefaults extends pulumi.dynamic.Resource {
  declare readonly accountSid: pulumi.Output<string>;
  declare readonly defaultChatServiceSid: pulumi.Output<string>;
  declare readonly defaultMessagingServiceSid: pulumi.Output<string | undefined>;
  declare readonly previous: pulumi.Output<ConversationsDefaultsOutputs["previous"]>;

  constructor(name: string, args: ConversationsDefaultsArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, accountSid: undefined, previous: undefined }, opts, "twilio", "ConversationsDefaults");
  }
}
