/**
 * A Frontline user's profile (friendly name, avatar, availability, state). Users are created by
 * Frontline itself when someone first signs in through SSO, so this resource only adopts: it records
 * the values it changes and writes them back on destroy. Optional in the program.
 */
import * as pulumi from "@pulumi/pulumi";
import { adoption } from "./adopt.js";
import { twilioApi, type TwilioProvider } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

export interface FrontlineUserArgs {
  /** The user's `US...` SID or identity (usually the SSO email). Changing it replaces the resource. */
  user: pulumi.Input<string>;
  friendlyName?: pulumi.Input<string>;
  /** https URL of the avatar image shown in the Frontline app. */
  avatar?: pulumi.Input<string>;
  /** Whether the user takes new inbound conversations (pool routing). */
  isAvailable?: pulumi.Input<boolean>;
  state?: pulumi.Input<"active" | "deactivated">;
}

export interface FrontlineUserInputs {
  user: string;
  friendlyName?: string;
  avatar?: string;
  isAvailable?: boolean;
  state?: "active" | "deactivated";
}

export interface FrontlineUserOutputs extends FrontlineUserInputs {
  /** `US...` */
  sid: string;
  identity: string;
  previous: { friendlyName?: string | null; avatar?: string | null; isAvailable?: boolean | null; state?: string | null };
}

/** Takes the SID or the identity. */
const USERS_URL = "https://frontline-api.twilio.com/v1/Users";

const table: FieldTable = {
  user: { ...rules.user(), required: true, identity: true },
  friendlyName: { ...rules.text(256), param: "FriendlyName", path: "friendly_name" },
  avatar: { ...rules.https(), param: "Avatar", path: "avatar" },
  isAvailable: { ...rules.bool(), param: "IsAvailable", path: "is_available" },
  state: { ...rules.oneOf(["active", "deactivated"]), param: "State", path: "state" },
};

const outputNames = ["sid", "identity", "previous"];

/** A fresh provider: the module's own instance goes to `dynamic.Resource`; tests make their own. */
export function frontlineUserProvider(): TwilioProvider<FrontlineUserInputs, FrontlineUserOutputs> {
  return {
    /** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
    config: undefined,

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      this.config = req.config;
    },

    async check(_olds: FrontlineUserInputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.CheckResult<FrontlineUserInputs>> {
      const { inputs, failures } = argumentTable(table).check(news, outputNames);
      return { inputs: inputs as unknown as FrontlineUserInputs, failures };
    },

    async diff(_id: string, olds: FrontlineUserOutputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.DiffResult> {
      const { changes, replaces } = argumentTable(table).diff(olds, news);
      // The same user may be named again by SID instead of identity: restore first, so the new
      // resource records the original values, not ours.
      return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(inputs: FrontlineUserInputs): Promise<pulumi.dynamic.CreateResult<FrontlineUserOutputs>> {
      const api = twilioApi(this.config);
      const found = await api.ifFound(api.get<{ sid: string; identity: string }>(api.url(USERS_URL, inputs.user)));
      if (!found) {
        throw new Error(`user ${inputs.user} is not a Frontline user of this account: Frontline creates users when they first sign in through SSO, so sign in once, then run again`);
      }
      const { previous } = await adoption(api, table).adopt(api.url(USERS_URL, found.sid), argumentTable(table).writable(inputs), found);
      return { id: found.sid, outs: { ...inputs, sid: found.sid, identity: found.identity, previous } };
    },

    async read(id: string, props?: FrontlineUserOutputs): Promise<pulumi.dynamic.ReadResult<FrontlineUserOutputs>> {
      const api = twilioApi(this.config);
      return adoption(api, table).read(id, api.url(USERS_URL, id), props);
    },

    async update(id: string, olds: FrontlineUserOutputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.UpdateResult<FrontlineUserOutputs>> {
      const api = twilioApi(this.config);
      const { previous } = await adoption(api, table).reconcile(api.url(USERS_URL, id), argumentTable(table).writable(news), olds.previous as Values, true);
      return { outs: { ...news, sid: id, identity: olds.identity, previous } };
    },

    async delete(id: string, props: FrontlineUserOutputs): Promise<void> {
      const api = twilioApi(this.config);
      await adoption(api, table).restore(api.url(USERS_URL, id), props.previous as Values);
    },
  };
}

const provider = frontlineUserProvider();

/** Sets a Frontline user's profile; destroy restores the values it found. */
export class FrontlineUser extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly identity: pulumi.Output<string>;
  declare readonly previous: pulumi.Output<FrontlineUserOutputs["previous"]>;

  constructor(name: string, args: FrontlineUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, sid: undefined, identity: undefined, previous: undefined }, opts, "twilio", "FrontlineUser");
  }
}
