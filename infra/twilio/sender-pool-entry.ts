/**
 * One phone number in a Messaging Service's sender pool. The number is given as E.164 and looked up
 * to its PN... SID among the account's own numbers. This resource never buys or releases a number:
 * it only adds the number to the pool and, on destroy, takes it out again (unless it was already
 * there before Pulumi, which Twilio reports as 21710: then it is recorded and left in place).
 */
import * as pulumi from "@pulumi/pulumi";
import { twilioApi, twilioCode, type TwilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable } from "./fields.js";

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
  /** The number was in this pool before Pulumi added it (21710): destroy leaves it there. */
  preExisting: boolean;
}

const table: FieldTable = {
  messagingServiceSid: { ...rules.sid("MG", "Messaging Service"), required: true, identity: true },
  phoneNumber: { ...rules.e164(), required: true, identity: true },
};

const outputNames = ["phoneNumberSid", "preExisting"];

const SERVICES_URL = "https://messaging.twilio.com/v1/Services";

/** The PN... SID of one of the account's numbers. The list filter also matches partial numbers, so only an exact match counts. */
async function phoneNumberSid(api: TwilioApi, e164: string): Promise<string> {
  const numbers = await api.list<{ sid: string; phone_number: string }>(
    `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(api.accountSid)}/IncomingPhoneNumbers.json`,
    "incoming_phone_numbers",
    { PhoneNumber: e164 },
  );
  const match = numbers.find((number) => number.phone_number === e164);
  if (!match) {
    throw new Error(
      `phoneNumber ${e164} is not a phone number of account ${api.accountSid}. Buy or port it in the Twilio Console first: ` +
        "this resource only adds existing numbers to the sender pool and never buys one.",
    );
  }
  return match.sid;
}

/** The Messaging Service that holds the number: Twilio says only "another service", so look through them. */
async function owningService(api: TwilioApi, phoneNumberSid: string, except: string): Promise<{ sid: string; friendly_name: string } | undefined> {
  const services = await api.list<{ sid: string; friendly_name: string }>(SERVICES_URL, "services");
  for (const service of services) {
    if (service.sid !== except && (await api.ifFound(api.get(api.url(SERVICES_URL, service.sid, "PhoneNumbers", phoneNumberSid))))) return service;
  }
  return undefined;
}

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function senderPoolEntryProvider(): TwilioProvider<SenderPoolEntryInputs, SenderPoolEntryOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: SenderPoolEntryInputs, news: SenderPoolEntryInputs): Promise<pulumi.dynamic.CheckResult<SenderPoolEntryInputs>> {
      const { inputs, failures } = argumentTable(table).check(news, outputNames);
      return { inputs: inputs as unknown as SenderPoolEntryInputs, failures };
    },

    async diff(_id: string, olds: SenderPoolEntryOutputs, news: SenderPoolEntryInputs): Promise<pulumi.dynamic.DiffResult> {
      const { changes, replaces } = argumentTable(table).diff(olds, news);
      // A number sits in one pool only: it must leave the old pool before it can join the new one.
      return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(inputs: SenderPoolEntryInputs): Promise<pulumi.dynamic.CreateResult<SenderPoolEntryOutputs>> {
      const api = twilioApi(this.config);
      const sid = await phoneNumberSid(api, inputs.phoneNumber);
      let preExisting = false;
      try {
        await api.post(api.url(SERVICES_URL, inputs.messagingServiceSid, "PhoneNumbers"), { PhoneNumberSid: sid });
      } catch (error) {
        if (twilioCode(error) === 21710) {
          preExisting = true;
        } else if (twilioCode(error) === 21712) {
          const owner = await owningService(api, sid, inputs.messagingServiceSid);
          const where = owner ? `Messaging Service ${owner.sid} ("${owner.friendly_name}")` : "another Messaging Service";
          throw new Error(
            `phoneNumber ${inputs.phoneNumber} (${sid}) is already in the sender pool of ${where}, and a number can be in only one (Twilio error 21712). ` +
              `Fix: remove it from that pool (Console > Messaging > Services > ${owner?.friendly_name ?? "that service"} > Sender Pool)` +
              (owner ? `, or set messagingServiceSid to ${owner.sid} to use that service.` : "."),
          );
        } else {
          throw error;
        }
      }
      return { id: `${inputs.messagingServiceSid}/${sid}`, outs: { ...inputs, phoneNumberSid: sid, preExisting } };
    },

    async read(id: string, props?: SenderPoolEntryOutputs): Promise<pulumi.dynamic.ReadResult<SenderPoolEntryOutputs>> {
      const api = twilioApi(this.config);
      const [serviceSid = "", numberSid = ""] = id.split("/");
      return (await api.ifFound(api.get(api.url(SERVICES_URL, serviceSid, "PhoneNumbers", numberSid)))) ? { id, props: props! } : {};
    },

    async delete(id: string, props: SenderPoolEntryOutputs): Promise<void> {
      if (props.preExisting) return;
      const api = twilioApi(this.config);
      const [serviceSid = "", numberSid = ""] = id.split("/");
      // Takes the number out of the pool only; it stays on the account.
      await api.ifFound(api.delete(api.url(SERVICES_URL, serviceSid, "PhoneNumbers", numberSid)));
    },
  };
}

const provider = senderPoolEntryProvider();

/** Adds one of the account's numbers to a Messaging Service's sender pool; destroy removes it (never releases it). */
export class SenderPoolEntry extends pulumi.dynamic.Resource {
  declare readonly messagingServiceSid: pulumi.Output<string>;
  declare readonly phoneNumber: pulumi.Output<string>;
  declare readonly phoneNumberSid: pulumi.Output<string>;
  declare readonly preExisting: pulumi.Output<boolean>;

  constructor(name: string, args: SenderPoolEntryArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, phoneNumberSid: undefined, preExisting: undefined }, opts, "twilio", "SenderPoolEntry");
  }
}
