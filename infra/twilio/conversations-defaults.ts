/**
 * The account's Conversations defaults (Console: Conversations > Defaults): which Conversations
 * service and which Messaging Service new conversations use. Frontline needs its own service to be
 * the default. A singleton: create records the values found, delete puts them back.
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt, reconcile, restore } from "./adopt.js";
import { credentialsFromConfig, resolveCredentials, twilioApi, type TwilioCredentials } from "./api.js";
import { checkInputs, diffInputs, liveValues, writable, type FieldTable, type Values } from "./fields.js";

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
    rule: { kind: "sid", prefix: "IS", what: "Conversations service" },
    required: true,
    param: "DefaultChatServiceSid",
    path: "default_chat_service_sid",
  },
  defaultMessagingServiceSid: {
    rule: { kind: "sid", prefix: "MG", what: "Messaging Service" },
    param: "DefaultMessagingServiceSid",
    path: "default_messaging_service_sid",
  },
};

const outputNames = ["accountSid", "previous"];

export class ConversationsDefaultsProvider implements pulumi.dynamic.ResourceProvider<ConversationsDefaultsInputs, ConversationsDefaultsOutputs> {
  private credentials: Partial<TwilioCredentials> = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = credentialsFromConfig(req.config);
  }

  async check(_olds: ConversationsDefaultsInputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.CheckResult<ConversationsDefaultsInputs>> {
    const { inputs, failures } = checkInputs(table, outputNames, { ...news });
    return { inputs: inputs as unknown as ConversationsDefaultsInputs, failures };
  }

  async diff(_id: string, olds: ConversationsDefaultsOutputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffInputs(table, { ...olds }, { ...news });
  }

  async create(inputs: ConversationsDefaultsInputs): Promise<pulumi.dynamic.CreateResult<ConversationsDefaultsOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { body, previous } = await adopt(api, CONFIGURATION_URL, table, writable(table, { ...inputs }));
    const accountSid = String((body as { account_sid: string }).account_sid);
    return { id: accountSid, outs: { ...inputs, accountSid, previous } };
  }

  async read(id: string, props?: ConversationsDefaultsOutputs): Promise<pulumi.dynamic.ReadResult<ConversationsDefaultsOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const body = await api.get<unknown>(CONFIGURATION_URL);
    const live = liveValues(table, body, Object.keys(writable(table, { ...props })));
    return { id, props: { ...(props as ConversationsDefaultsOutputs), ...(live as object) } };
  }

  async update(_id: string, olds: ConversationsDefaultsOutputs, news: ConversationsDefaultsInputs): Promise<pulumi.dynamic.UpdateResult<ConversationsDefaultsOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await reconcile(api, CONFIGURATION_URL, table, writable(table, { ...news }), olds.previous as Values, true);
    return { outs: { ...news, accountSid: olds.accountSid, previous } };
  }

  async delete(_id: string, props: ConversationsDefaultsOutputs): Promise<void> {
    const api = twilioApi(resolveCredentials(this.credentials));
    await restore(api, CONFIGURATION_URL, table, props.previous as Values);
  }
}

/** The one instance `dynamic.Resource` serializes; it is never configured in the program's process. */
const provider = new ConversationsDefaultsProvider();

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
