/**
 * The account plus what makes its changes deterministic: a clock that advances one second per
 * change and SIDs derived from a counter, so two runs of the same test give identical snapshots.
 */
import { createHash } from "node:crypto";
import { type AccountState, emptyAccount } from "./state.js";

/** An arbitrary fixed epoch: snapshots must not depend on the wall clock. */
const EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

export class Store {
  state: AccountState = emptyAccount();
  private ticks = 0;
  private minted = 0;

  constructor(readonly accountSid: string) {}

  /** ISO-8601 without milliseconds, as Twilio's v1 APIs render dates. */
  now(): string {
    this.ticks += 1;
    return new Date(EPOCH_MS + this.ticks * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /**
   * `prefix` + 32 hex digits. Hashing the counter makes SIDs look like Twilio's (no long runs of
   * zeros that could hide a truncation bug) while staying reproducible.
   */
  sid(prefix: string): string {
    for (;;) {
      this.minted += 1;
      const hex = createHash("sha256").update(`${this.accountSid}:${prefix}:${this.minted}`).digest("hex").slice(0, 32);
      const sid = prefix + hex;
      if (!this.exists(sid)) return sid;
    }
  }

  private exists(sid: string): boolean {
    const s = this.state;
    return [
      s.conversationServices,
      s.addressConfigurations,
      s.conversations,
      s.participants,
      s.messagingServices,
      s.phoneNumbers,
      s.frontlineUsers,
    ].some((records) => sid in records);
  }
}
