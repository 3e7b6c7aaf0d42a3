/**
 * Adopt and restore, shared by every singleton and adopted Twilio object: before Pulumi changes a
 * field it records the value it found (the `previous` output), and delete writes those values back,
 * so `pulumi destroy` leaves the account as `pulumi up` found it. Writes send only the fields whose
 * live value differs, so an object that already matches costs one read and no write.
 */
import { isNotFound, type TwilioApi } from "./api.js";
import { differing, formFor, liveValues, type FieldTable, type Values } from "./fields.js";

export interface Adopted {
  /** Twilio's answer after the write (or the read, when nothing had to change). */
  readonly body: unknown;
  /** The values found before Pulumi first set each field. */
  readonly previous: Values;
}

async function writeDifferences(api: TwilioApi, url: string, table: FieldTable, wanted: Values, live: unknown): Promise<unknown> {
  const changes = differing(wanted, liveValues(table, live, Object.keys(wanted)));
  return Object.keys(changes).length > 0 ? api.post(url, formFor(table, changes)) : live;
}

/** Takes over an existing object: records what is there, then sets `wanted`. `found` saves the read when the caller just fetched it. */
export async function adopt(api: TwilioApi, url: string, table: FieldTable, wanted: Values, found?: unknown): Promise<Adopted> {
  const live = found ?? (await api.get<unknown>(url));
  return { previous: liveValues(table, live, Object.keys(wanted)), body: await writeDifferences(api, url, table, wanted, live) };
}

/**
 * Moves an adopted object to `wanted`. A field managed for the first time has its found value recorded
 * (when `record`); a field no longer managed gets its recorded value back and leaves the record.
 */
export async function reconcile(api: TwilioApi, url: string, table: FieldTable, wanted: Values, previous: Values, record: boolean): Promise<Adopted> {
  const live = await api.get<unknown>(url);
  const released = Object.fromEntries(Object.entries(previous).filter(([field]) => !(field in wanted)));
  const kept = Object.fromEntries(Object.entries(previous).filter(([field]) => field in wanted));
  const fresh = record ? liveValues(table, live, Object.keys(wanted).filter((field) => !(field in previous))) : {};
  return { previous: { ...kept, ...fresh }, body: await writeDifferences(api, url, table, { ...released, ...wanted }, live) };
}

/** Writes the recorded values back. An object already gone has nothing to restore. */
export async function restore(api: TwilioApi, url: string, table: FieldTable, previous: Values): Promise<void> {
  if (Object.keys(previous).length === 0) return;
  try {
    await api.post(url, formFor(table, previous));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
