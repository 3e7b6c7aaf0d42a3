/**
 * One phone number in a Messaging Service's sender pool. The number is given as E.164 and looked up
 * to its PN... SID among the account's own numbers. This resource never buys or releases a number:
 * it only adds the number to the pool and, on destroy, takes it out again (unless it was already
 * there before Pulumi: then it is recorded and left in place).
 */
import * as pulumi from "@pulumi/pulumi";
import type { TwilioApiError, TwilioProvider } from "./api.js";
import { type FieldTable, rules } from "./fields.js";
import { type Declaration, readableDiffs, twilioProvider } from "./provider.js";

export interface SenderPoolEntryArgs {
  /** `MG...`: the Messaging Service whose pool gets the number. Changing it replaces the entry. */
  messagingServiceSid: pulumi.Input<string>;
  /** The number in E.164 form, e.g. `+14155550100`; it must already be a number of this account. */
  phoneNumber: pulumi.Input<string>;
}

export interface SenderPoolEntryInputs {
  messagingServiceSid: string;
  phoneNumber: string;
}

export interface SenderPoolEntryOutputs extends SenderPoolEntryInputs {
  /** The number's `PN...` SID. */
  phoneNumberSid: string;
  /** The number was in this pool before Pulumi added it: destroy leaves it there. */
  preExisting: boolean;
}

const table: FieldTable = {
  messagingServiceSid: { ...rules.sid("MG", "Messaging Service"), required: true, identity: true },
  phoneNumber: { ...rules.e164(), required: true, identity: true },
};

const SERVICES_URL = "https://messaging.twilio.com/v1/Services";

type Number = { sid: string; phone_number: string };
type Service = { sid: string; friendly_name: string };

/**
 * The entry itself is the natural key: it is read before the add. Found there, it was there before
 * Pulumi (left in place on destroy); found after an unanswered add, or met as 21710 when the add is
 * sent again, it is ours. `key` finds the number's PN SID; the list filter also matches partial
 * numbers, so only an exact match counts. On 21712 `create` names the service holding the number
 * (Twilio says only "another service", so it looks through them). SIDs need no URL encoding.
 */
export const senderPoolEntryDeclaration: Declaration = {
  table,
  outputs: ["phoneNumberSid", "preExisting"],
  foundFlag: "preExisting",
  /** A number sits in one pool only: it must leave the old pool before it can join the new one. */
  replaceFirst: true,
  async key(api, { phoneNumber }) {
    const url = `https://api.twilio.com/2010-04-01/Accounts/${api.accountSid}/IncomingPhoneNumbers.json`;
    const numbers = await api.list<Number>(url, "incoming_phone_numbers", { PhoneNumber: phoneNumber! });
    const match = numbers.find((number) => number.phone_number === phoneNumber);
    if (match) return { phoneNumberSid: match.sid };
    throw new Error(
      `phoneNumber ${phoneNumber} is not a number of account ${api.accountSid}: buy or port it first (this resource never buys one)`,
    );
  },
  url: `${SERVICES_URL}/{}/PhoneNumbers/{}`,
  async find(api, { messagingServiceSid: mg, phoneNumberSid: pn }) {
    const entry = await api.ifFound(api.get(api.at(this.url, `${mg}/${pn}`)));
    return entry ? [{ id: `${mg}/${pn}`, body: entry }] : [];
  },
  async create(api, { messagingServiceSid: mg, phoneNumberSid: pn, phoneNumber }) {
    const added = api.post(`${SERVICES_URL}/${mg}/PhoneNumbers`, { PhoneNumberSid: pn! }, { once: true });
    const error = await added.then(
      () => undefined,
      (e: Partial<TwilioApiError>) => e,
    );
    if (error?.code !== 21712) return error ? Promise.reject(error) : `${mg}/${pn}`;
    let owner: Service | undefined;
    for (const s of await api.list<Service>(SERVICES_URL, "services")) {
      if (!owner && s.sid !== mg && (await api.ifFound(api.get(`${SERVICES_URL}/${s.sid}/PhoneNumbers/${pn}`))))
        owner = s;
    }
    throw new Error(
      `phoneNumber ${phoneNumber} (${pn}) is already in the sender pool of ${owner ? `Messaging Service ${owner.sid} ("${owner.friendly_name}")` : "another Messaging Service"}, ` +
        `and a number can be in only one (Twilio error 21712). Fix: remove it from that pool (Console > Messaging > Services > ${owner?.friendly_name ?? "that service"} > Sender Pool)` +
        (owner ? `, or set messagingServiceSid to ${owner.sid} to use that service.` : "."),
    );
  },
};

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function senderPoolEntryProvider(): TwilioProvider<SenderPoolEntryInputs, SenderPoolEntryOutputs> {
  return twilioProvider(senderPoolEntryDeclaration);
}

const provider = senderPoolEntryProvider();

/** Adds one of the account's numbers to a Messaging Service's sender pool; destroy removes it (never releases it). */
export class SenderPoolEntry extends pulumi.dynamic.Resource {
  declare readonly messagingServiceSid: pulumi.Output<string>;
  declare readonly phoneNumber: pulumi.Output<string>;
  declare readonly phoneNumberSid: pulumi.Output<string>;
  declare readonly preExisting: pulumi.Output<boolean>;

  constructor(name: string, args: SenderPoolEntryArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, phoneNumberSid: undefined, preExisting: undefined },
      readableDiffs(opts),
      "twilio",
      "SenderPoolEntry",
    );
  }
}
