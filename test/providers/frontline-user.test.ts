import { beforeEach, describe, expect, it } from "vitest";
import { frontlineUserProvider } from "../../infra/twilio/frontline-user.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { changeOutside } from "../support/outside-change.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

const IDENTITY = "jane+sales@example.com";

let baseline: string;
let jane: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    jane = emulator.addFrontlineUser({ identity: IDENTITY, friendlyName: "Jane", avatar: null, isAvailable: false });
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(frontlineUserProvider(), fixture.config());
const user = () => fixture.emulator.state().frontlineUsers[jane]!;
const AVATAR = "https://cdn.example.com/jane.png";

describe("FrontlineUser against the emulator", () => {
  it("adopts a user by identity (URL-encoded), records what it changes and restores it on destroy", async () => {
    const p = await provider();
    const { state } = await up(p, { user: IDENTITY, friendlyName: "Jane Doe", avatar: AVATAR, isAvailable: true });
    expect(state).toMatchObject({ id: jane, outs: { sid: jane, identity: IDENTITY, previous: { friendlyName: "Jane", avatar: null, isAvailable: false } } });
    expect(user()).toMatchObject({ friendlyName: "Jane Doe", avatar: AVATAR, isAvailable: true });
    expect(fixture.emulator.requests.map((r) => [r.method, r.path, r.form])).toEqual([
      ["GET", `/v1/Users/${encodeURIComponent(IDENTITY)}`, {}],
      ["POST", `/v1/Users/${jane}`, { FriendlyName: "Jane Doe", Avatar: AVATAR, IsAvailable: "true" }],
    ]);
    await destroy(p, state);
    expect(fixture.emulator.snapshot()).toBe(baseline);
  });

  it("accepts the SID as well", async () => {
    const { state } = await up(await provider(), { user: jane, state: "deactivated" });
    expect(state.outs).toMatchObject({ identity: IDENTITY, previous: { state: "active" } });
    expect(user().state).toBe("deactivated");
  });

  it("read sees drift; the next up writes ours back; update writes only what changed", async () => {
    const p = await provider();
    const first = await up(p, { user: IDENTITY, friendlyName: "Jane Doe" });
    await changeOutside(fixture.emulator, "POST", `/frontline-api/v1/Users/${jane}`, { FriendlyName: "J." });
    const drifted = await refresh(p, first.state);
    expect(drifted?.outs["friendlyName"]).toBe("J.");
    fixture.emulator.clearRequests();
    const repaired = await up(p, { user: IDENTITY, friendlyName: "Jane Doe", isAvailable: true }, drifted);
    expect(repaired.step).toBe("update");
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.form)).toEqual([{ FriendlyName: "Jane Doe", IsAvailable: "true" }]);
    expect(repaired.state.outs["previous"]).toEqual({ friendlyName: "Jane", isAvailable: false });
  });

  it("a user that does not exist fails with the SSO hint; another user is a replacement", async () => {
    const p = await provider();
    await expect(up(p, { user: "bob@example.com", friendlyName: "Bob" })).rejects.toThrow(/bob@example\.com is not a Frontline user.*sign in once/);
    const first = await up(p, { user: IDENTITY, friendlyName: "Jane Doe" });
    expect(await p.diff!(jane, first.state.outs as never, { user: "bob@example.com", friendlyName: "Jane Doe" })).toMatchObject({ replaces: ["user"], deleteBeforeReplace: true });
  });

  it("renaming the same user from identity to SID restores then re-adopts, keeping the original record", async () => {
    const p = await provider();
    const first = await up(p, { user: IDENTITY, friendlyName: "Jane Doe" });
    const again = await up(p, { user: jane, friendlyName: "Jane Doe" }, first.state);
    expect(again.step).toBe("replace");
    expect(again.state.outs["previous"]).toEqual({ friendlyName: "Jane" });
  });

  it("a no-op up makes no call; delete is idempotent; a user gone reads as gone", async () => {
    const p = await provider();
    const first = await up(p, { user: IDENTITY, avatar: AVATAR });
    fixture.emulator.clearRequests();
    expect((await up(p, { user: IDENTITY, avatar: AVATAR }, first.state)).step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
    await destroy(p, first.state);
    await destroy(p, first.state);
    expect(fixture.emulator.snapshot()).toBe(baseline);
    expect(await refresh(p, { ...first.state, id: "US" + "0".repeat(32) })).toBeUndefined();
  });

  it("retries 429 and 500", async () => {
    fixture.emulator.injectFault({ method: "POST", path: `/frontline-api/v1/Users/${jane}`, status: 500, count: 1 });
    fixture.emulator.injectFault({ method: "POST", path: `/frontline-api/v1/Users/${jane}`, status: 429, count: 1, retryAfterSeconds: 0 });
    await up(await provider(), { user: IDENTITY, isAvailable: true });
    expect(user().isAvailable).toBe(true);
  });

  it("fails clearly on bad input", async () => {
    const p = await provider();
    await expect(up(p, { user: IDENTITY, avatar: "jane.png" })).rejects.toThrow(/avatar must be an absolute https:\/\/ URL/);
    await expect(up(p, { user: IDENTITY, state: "disabled" })).rejects.toThrow(/state must be one of "active", "deactivated"/);
    await expect(up(p, { user: "a/b" })).rejects.toThrow(/user must be a Frontline user SID \("US" followed by 32 hex characters\) or the user's identity/);
    expect(fixture.emulator.requests).toEqual([]);
  });
});
