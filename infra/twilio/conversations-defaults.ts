/**
 * The account's Conversations defaults (Console: Conversations > Defaults): which Conversations
 * service and which Messaging Service new conversations use. Frontline needs its own service to be
 * the default. A singleton: create records the values found, delete puts them back.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TwilioProvider } from "./api.js";
import { type FieldTable, rules } from "./fields.js";
import { type Declaration, readableDiffs, twilioProvider } from "./provider.js";

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

/**
 * Both are SID patterns in the spec, with no empty value: a default that was null before Pulumi is
 * left out of the restore (deleting the messaging service this stack made unsets it on Twilio's side).
 */
const table: FieldTable = {
  defaultChatServiceSid: {
    ...rules.sid("IS", "Conversations service"),
    required: true,
    param: "DefaultChatServiceSid",
  },
  defaultMessagingServiceSid: {
    ...rules.sid("MG", "Messaging Service"),
    param: "DefaultMessagingServiceSid",
  },
};

/** A singleton: always there, always adopted; its id is the account SID. */
export const conversationsDefaultsDeclaration: Declaration = {
  table,
  outputs: ["accountSid", "previous"],
  idOutput: "accountSid",
  url: CONFIGURATION_URL,
  find: async (api) => [{ id: api.accountSid, body: await api.get(CONFIGURATION_URL) }],
};

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function conversationsDefaultsProvider(): TwilioProvider<
  ConversationsDefaultsInputs,
  ConversationsDefaultsOutputs
> {
  return twilioProvider(conversationsDefaultsDeclaration);
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
    super(
      provider,
      name,
      { ...args, accountSid: undefined, previous: undefined },
      readableDiffs(opts),
      "twilio",
      "ConversationsDefaults",
    );
  }
}
