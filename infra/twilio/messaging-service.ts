/**
 * A Messaging Service (MG...), the sender pool Frontline sends SMS from. Either created here (and
 * deleted on destroy) or an existing one adopted by SID (the settings Pulumi changes are recorded
 * and restored on destroy; the service itself stays). Booleans have no empty value in the spec, so
 * they are restored only to a value that was there (Twilio always reports one).
 */
import * as pulumi from "@pulumi/pulumi";
import type { TwilioProvider } from "./api.js";
import { type FieldTable, rules } from "./fields.js";
import { type Declaration, readableDiffs, twilioProvider } from "./provider.js";

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
  friendlyName: {
    ...rules.text(64),
    requiredUnless: "adoptSid",
    param: "FriendlyName",
    clearable: true,
  },
  inboundRequestUrl: { ...rules.https(), param: "InboundRequestUrl", clearable: true },
  fallbackUrl: { ...rules.https(), param: "FallbackUrl", clearable: true },
  statusCallback: { ...rules.https(), param: "StatusCallback", clearable: true },
  stickySender: { ...rules.bool(), param: "StickySender" },
  areaCodeGeomatch: { ...rules.bool(), param: "AreaCodeGeomatch" },
  useInboundWebhookOnNumber: { ...rules.bool(), param: "UseInboundWebhookOnNumber" },
};

/**
 * Created services are found again by friendly name: the SIDs carrying it are noted before the
 * create POST, and after an unanswered POST a new SID with that name is ours. An `adoptSid` is
 * adopted as it is.
 */
export const messagingServiceDeclaration: Declaration = {
  table,
  outputs: ["sid", "adopted", "previous"],
  idOutput: "sid",
  foundFlag: "adopted",
  adoptWhen: "adoptSid",
  url: `${SERVICES_URL}/{}`,
  async find(api, { adoptSid, friendlyName }) {
    if (adoptSid) return [{ id: String(adoptSid), body: await api.get(api.at(this.url, String(adoptSid))) }];
    const services = await api.list<{ sid: string; friendly_name: string }>(SERVICES_URL, "services");
    return services.filter((s) => s.friendly_name === friendlyName).map((s) => ({ id: s.sid, body: s }));
  },
  async create(api, _subject, form) {
    return (await api.post<{ sid: string }>(SERVICES_URL, form, { once: true })).sid;
  },
};

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function messagingServiceProvider(): TwilioProvider<MessagingServiceInputs, MessagingServiceOutputs> {
  return twilioProvider(messagingServiceDeclaration);
}

const provider = messagingServiceProvider();

/** Creates a Messaging Service, or adopts one by SID; destroy deletes what it created and restores what it adopted. */
export class MessagingService extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly friendlyName: pulumi.Output<string | undefined>;
  declare readonly previous: pulumi.Output<MessagingServiceOutputs["previous"]>;

  constructor(name: string, args: MessagingServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, sid: undefined, adopted: undefined, previous: undefined },
      readableDiffs(opts),
      "twilio",
      "MessagingService",
    );
  }
}
