/**
 * The one provider skeleton. Each Twilio resource is a declaration (field table, URLs, natural-key
 * lookup, replace rule) and `twilioProvider` turns it into the object `dynamic.Resource` serializes.
 * Comments stay outside the function bodies: the serializer copies bodies, comments included, into
 * every `__provider` (20 KB budget), so the rules are written here:
 *
 * - check: the table validates and fills defaults; `decl.defaults` fills what a table cannot say.
 * - diff: against the old outputs; also a change when the stored `__provider` differs, because
 *   Pulumi runs delete and read with the code stored at the last create or update, so a fix reaches
 *   a deployed resource only through an update. That update costs one read and no write.
 * - create: looks the object up by its natural key first. A match is adopted (adopt and restore:
 *   the values found are kept in `previous`, then only differing fields are written) or, for an
 *   object Pulumi makes, only noted. The create POST is sent once (`once`): Twilio takes no
 *   idempotency key. When its answer is lost (5xx, dropped connection, timeout), or a repeat meets
 *   "already there" (409, 21710, ...) after an unanswered attempt, the lookup runs again and a match
 *   that was not there before is ours. Only when none appeared is the POST sent again (3 at most).
 * - update: reads the object, records a field managed for the first time (adopted objects), writes
 *   back the recorded value of a field no longer managed, and writes only what differs. Absolute
 *   values: the API layer may repeat them after a lost answer.
 * - delete: an object Pulumi made is deleted (20404 counts as done); anything else gets `previous`
 *   written back. A null that the spec cannot express is left out (fields.ts `clearable`).
 * - read (refresh): the managed fields' live values, or gone on 20404.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type Form, type TwilioApi, type TwilioApiError, type TwilioProvider, twilioApi } from "./api.js";
import { argumentTable, type FieldTable, type Values } from "./fields.js";

/** An object the natural-key lookup found: the resource id it has, and Twilio's answer. */
export interface Found {
  id: string;
  body: unknown;
}

export interface Declaration {
  table: FieldTable;
  /** Output names the resource class seeds (refused as arguments, kept on update). */
  outputs: readonly string[];
  /** The output that carries the resource id, if any (`sid`). */
  idOutput?: string;
  /**
   * The output that says the object was there before Pulumi, so delete restores `previous`
   * instead of deleting it. Absent for an object Pulumi never creates (a singleton).
   */
  foundFlag?: string;
  /** A match found before create is adopted only when this argument is set; absent: always adopted. */
  adoptWhen?: string;
  /** Replacing deletes the old object first (one object per address, number or service). */
  replaceFirst?: boolean;
  /** Defaults the table cannot express, from the raw arguments: `check` validates them with the rest. */
  defaults?(given: Record<string, unknown>): Record<string, unknown>;
  /** Values derived once per create from the arguments (e.g. a number's PN SID), kept as outputs. */
  key?(api: TwilioApi, inputs: Values): Promise<Values>;
  /** The object's URL: `{}` stands for each `/`-separated part of the resource id. */
  url: string;
  /**
   * Natural-key lookup: the objects matching the arguments. Throws when one conflicts with them.
   * Called as a method: `this.url` is the declaration's.
   */
  find(this: Declaration, api: TwilioApi, subject: Values): Promise<Found[]>;
  /**
   * Sends the create POST with `once` and returns the new resource id; absent when Pulumi never
   * creates the object. `form` sets the table's fields (under their parameter names).
   */
  create?(api: TwilioApi, subject: Values, form: Form): Promise<string>;
}

/** A provider as `twilioProvider` builds it: the declaration travels with it as data. */
// biome-ignore lint/suspicious/noExplicitAny: Pulumi hands the methods untyped JSON; each narrows it to `Values`.
type Provider = TwilioProvider<any, any> & { decl: Declaration };

/**
 * The methods are module-level functions reading `this.decl`, not closures over it: the serializer
 * copies each body with its source indentation, and nesting here cost over a kilobyte per provider.
 */
export function twilioProvider<I extends object, O extends object>(decl: Declaration): TwilioProvider<I, O> {
  const provider: Provider = {
    config: undefined,
    decl,
    configure,
    check,
    diff,
    create,
    read: update,
    update,
    delete: remove,
  };
  return provider as unknown as TwilioProvider<I, O>;
}

/** Set by the host right after it loads `__provider`; `dynamic.Resource` serializes the provider before that, without it. */
async function configure(this: Provider, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  this.config = req.config;
}

async function check(
  this: Provider,
  _olds: object,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  return argumentTable(this.decl.table).check({ ...news, ...this.decl.defaults?.(news) }, this.decl.outputs);
}

async function diff(this: Provider, _id: string, olds: Values, news: Values): Promise<pulumi.dynamic.DiffResult> {
  const { changes, replaces } = argumentTable(this.decl.table).diff(olds, news);
  return {
    changes: changes || olds["__provider"] !== news["__provider"],
    replaces,
    deleteBeforeReplace: !!this.decl.replaceFirst && replaces.length > 0,
  };
}

async function create(this: Provider, inputs: Values): Promise<pulumi.dynamic.CreateResult> {
  const { decl } = this;
  const api = twilioApi(this.config);
  const args = argumentTable(decl.table);
  const subject: Values = { ...inputs, ...(await decl.key?.(api, inputs)) };
  const wanted = args.writable(subject);
  const before = await decl.find(api, subject);
  let found = before[0] && (!decl.adoptWhen || subject[decl.adoptWhen]) ? before[0] : undefined;
  const adopted = !!found;
  for (let attempt = 1; !found; attempt++) {
    try {
      found = { id: await decl.create!(api, subject, args.form(wanted)), body: undefined };
    } catch (error) {
      const { name, status = 0 } = error as Partial<TwilioApiError>;
      const landed = name === "TwilioApiError" && (status === 0 || status >= 500);
      if (!landed && !(attempt > 1 && status >= 400 && status < 500)) throw error;
      const ours = (await decl.find(api, subject)).filter((f) => !before.some((b) => b.id === f.id));
      if (ours[1] || (!ours[0] && (!landed || attempt > 2)))
        throw ours[1] ? new Error(`one create made ${ours.map((f) => f.id)}: delete all but one`) : error;
      found = ours[0];
    }
  }
  const previous = adopted ? args.live(found.body, Object.keys(wanted)) : {};
  const form = args.form(args.differing(wanted, previous));
  if (adopted && Object.keys(form).length) await api.post(api.at(decl.url, found.id), form);
  const outs = {
    ...subject,
    ...(decl.idOutput && { [decl.idOutput]: found.id }),
    ...(decl.foundFlag && { [decl.foundFlag]: adopted }),
  };
  return { id: found.id, outs: decl.outputs.includes("previous") ? { ...outs, previous } : outs };
}

/**
 * `update`, and `read` too (refresh: called without `news`, it writes nothing and returns the old
 * outputs with the managed fields' live values, or nothing when the object is gone): one body for
 * both keeps `__provider` within its budget.
 */
async function update(
  this: Provider,
  id: string,
  olds: Values & { previous?: Values },
  news?: Values,
): Promise<pulumi.dynamic.ReadResult & pulumi.dynamic.UpdateResult> {
  const { decl } = this;
  const api = twilioApi(this.config);
  const args = argumentTable(decl.table);
  const url = api.at(decl.url, id);
  const live = await (news ? api.get<unknown>(url) : api.ifFound(api.get<unknown>(url)));
  if (!news)
    return live === undefined ? {} : { id, props: { ...olds, ...args.live(live, Object.keys(args.writable(olds))) } };
  const wanted = args.writable(news);
  const previous = !decl.foundFlag || olds[decl.foundFlag] ? args.live(live, Object.keys(wanted)) : {};
  const released: Values = {};
  for (const [field, value] of Object.entries(olds.previous ?? {}))
    (field in wanted ? previous : released)[field] = value;
  const all = { ...released, ...wanted };
  const form = args.form(args.differing(all, args.live(live, Object.keys(all))));
  if (Object.keys(form).length) await api.post(url, form);
  const kept = Object.fromEntries(Object.entries(olds).filter(([k]) => !(k in decl.table) && k !== "__provider"));
  return { outs: { ...kept, ...news, ...(decl.outputs.includes("previous") && { previous }) } };
}

async function remove(this: Provider, id: string, props: Values & { previous?: Values }): Promise<void> {
  const api = twilioApi(this.config);
  const url = api.at(this.decl.url, id);
  if (this.decl.create && !props[this.decl.foundFlag!]) return void (await api.ifFound(api.delete(url)));
  const form = argumentTable(this.decl.table).form(props.previous ?? {});
  if (Object.keys(form).length) await api.ifFound(api.post(url, form));
}

/**
 * Every Twilio resource's options: the serialized provider code is an input of each, and hiding it
 * keeps `pulumi preview --diff` and PR comments to the settings that change, for anyone who uses
 * these resources, not only this program.
 */
export function readableDiffs(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  return { ...opts, hideDiffs: [...(opts?.hideDiffs ?? []), "__provider"] };
}
