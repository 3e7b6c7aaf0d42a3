/**
 * Adopt and restore, shared by every singleton and adopted Twilio object: before Pulumi changes a
 * field it records the value it found (the `previous` output), and delete writes those values back,
 * so `pulumi destroy` leaves the account as `pulumi up` found it. Writes send only the fields whose
 * live value differs, so an object that already matches costs one read and no write.
 * One exported function with inner helpers, as in api.ts, to keep `__provider` small.
 */
import type { TwilioApi } from "./api.js";
import { argumentTable, rules, type FieldTable, type Values } from "./fields.js";

export interface Adopted {
  /** The values found before Pulumi first set each field. */
  readonly previous: Values;
}

export interface Adoption {
  /** Takes over an existing object: records what is there, then sets `wanted`. `found` saves the read when the caller just fetched it. */
  adopt(url: string, wanted: Values, found?: unknown): Promise<Adopted>;
  /**
   * Moves an adopted object to `wanted`. A field managed for the first time has its found value
   * recorded (when `record`); a field no longer managed gets its recorded value back and leaves the record.
   */
  reconcile(url: string, wanted: Values, previous: Values, record: boolean): Promise<Adopted>;
  /** Writes the recorded values back. An object already gone has nothing to restore. */
  restore(url: string, previous: Values): Promise<void>;
  /** `read` for refresh: the old outputs with the managed fields' live values, or `{}` (gone) on 20404. */
  read<T extends object>(id: string, url: string, props: T | undefined): Promise<{ id?: string; props?: T }>;
}

export function adoption(api: TwilioApi, table: FieldTable): Adoption {
  const args = argumentTable(table);
  async function write(url: string, wanted: Values, live: unknown): Promise<void> {
    const changes = args.differing(wanted, args.live(live, Object.keys(wanted)));
    if (Object.keys(changes).length > 0) await api.post(url, args.form(changes));
  }
  return {
    async adopt(url, wanted, found) {
      const live = found ?? (await api.get<unknown>(url));
      const previous = args.live(live, Object.keys(wanted));
      await write(url, wanted, live);
      return { previous };
    },
    async reconcile(url, wanted, previous, record) {
      const live = await api.get<unknown>(url);
      const next: Values = record ? args.live(live, Object.keys(wanted)) : {};
      const released: Values = {};
      for (const [field, value] of Object.entries(previous)) {
        if (field in wanted) next[field] = value;
        else released[field] = value;
      }
      await write(url, { ...released, ...wanted }, live);
      return { previous: next };
    },
    async restore(url, previous) {
      if (Object.keys(previous).length > 0) await api.ifFound(api.post(url, args.form(previous)));
    },
    async read(id, url, props) {
      const body = await api.ifFound(api.get<unknown>(url));
      return body === undefined ? {} : { id, props: { ...props!, ...args.live(body, Object.keys(args.writable(props ?? {}))) } };
    },
  };
}
