/**
 * A Frontline user's profile (friendly name, avatar, availability, state). Users are created by
 * Frontline itself when someone first signs in through SSO, so this resource only adopts: it records
 * the values it changes and writes them back on destroy. Optional in the program.
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt, reconcile, restore } from "./adopt.js";
import { credentialsFromConfig, isNotFound, resolveCredentials, segment, twilioApi, type TwilioCredentials } from "./api.js";
import { checkInputs, diffInputs, liveValues, writable, type FieldTable, type Values } from "./fields.js";

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

function userUrl(sidOrIdentity: string): string {
  return `https://frontline-api.twilio.com/v1/Users/${segment(sidOrIdentity)}`;
}

const table: FieldTable = {
  user: { rule: { kind: "user" }, required: true, identity: true },
  friendlyName: { rule: { kind: "text", max: 256 }, param: "FriendlyName", path: "friendly_name" },
  avatar: { rule: { kind: "https" }, param: "Avatar", path: "avatar" },
  isAvailable: { rule: { kind: "bool" }, param: "IsAvailable", path: "is_available" },
  state: { rule: { kind: "oneOf", values: ["active", "deactivated"] }, param: "State", path: "state" },
};

const outputNames = ["sid", "identity", "previous"];

export class FrontlineUserProvider implements pulumi.dynamic.ResourceProvider<FrontlineUserInputs, FrontlineUserOutputs> {
  private credentials: Partial<TwilioCredentials> = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = credentialsFromConfig(req.config);
  }

  async check(_olds: FrontlineUserInputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.CheckResult<FrontlineUserInputs>> {
    const { inputs, failures } = checkInputs(table, outputNames, { ...news });
    return { inputs: inputs as unknown as FrontlineUserInputs, failures };
  }

  async diff(_id: string, olds: FrontlineUserOutputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces } = diffInputs(table, { ...olds }, { ...news });
    // The same user may be named again by SID instead of identity: restore first, so the new
    // resource records the original values, not ours.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async create(inputs: FrontlineUserInputs): Promise<pulumi.dynamic.CreateResult<FrontlineUserOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    let found: { sid: string; identity: string };
    try {
      found = await api.get(userUrl(inputs.user));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      throw new Error(`user ${inputs.user} is not a Frontline user of this account: Frontline creates users when they first sign in through SSO, so sign in once, then run again`);
    }
    const { previous } = await adopt(api, userUrl(found.sid), table, writable(table, { ...inputs }), found);
    return { id: found.sid, outs: { ...inputs, sid: found.sid, identity: found.identity, previous } };
  }

  async read(id: string, props?: FrontlineUserOutputs): Promise<pulumi.dynamic.ReadResult<FrontlineUserOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    try {
      const body = await api.get<unknown>(userUrl(id));
      const live = liveValues(table, body, Object.keys(writable(table, { ...props })));
      return { id, props: { ...(props as FrontlineUserOutputs), ...(live as object) } };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  async update(id: string, olds: FrontlineUserOutputs, news: FrontlineUserInputs): Promise<pulumi.dynamic.UpdateResult<FrontlineUserOutputs>> {
    const api = twilioApi(resolveCredentials(this.credentials));
    const { previous } = await reconcile(api, userUrl(id), table, writable(table, { ...news }), olds.previous as Values, true);
    return { outs: { ...news, sid: id, identity: olds.identity, previous } };
  }

  async delete(id: string, props: FrontlineUserOutputs): Promise<void> {
    const api = twilioApi(resolveCredentials(this.credentials));
    await restore(api, userUrl(id), table, props.previous as Values);
  }
}

const provider = new FrontlineUserProvider();

/** Sets a Frontline user's profile; destroy restores the values it found. */
export class FrontlineUser extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly identity: pulumi.Output<string>;
  declare readonly previous: pulumi.Output<FrontlineUserOutputs["previous"]>;

  constructor(name: string, args: FrontlineUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, sid: undefined, identity: undefined, previous: undefined }, opts, "twilio", "FrontlineUser");
  }
}
