import { beforeEach, describe, expect, it } from "vitest";
import { messagingServiceProvider } from "../../infra/twilio/messaging-service.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { changeOutside } from "../support/outside-change.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

let baseline: string;
let existing: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    existing = emulator.addMessagingService({
      friendlyName: "Sales numbers",
      statusCallback: "https://old.example.com/status",
      stickySender: false,
    });
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(messagingServiceProvider(), fixture.config());
const services = () => fixture.emulator.state().messagingServices;

describe("MessagingService against the emulator", () => {
  it("creates a service with the given settings, and deletes it on destroy", async () => {
    const p = await provider();
    const { state } = await up(p, {
      friendlyName: "Frontline",
      stickySender: true,
      statusCallback: "https://api.example.com/status",
    });
    expect(state.outs).toMatchObject({ sid: state.id, adopted: false, previous: {} });
    expect(services()[state.id]).toMatchObject({
      friendlyName: "Frontline",
      stickySender: true,
      statusCallback: "https://api.example.com/status",
    });
    expect(fixture.emulator.requests.map((r) => [r.method, r.path, r.form])).toEqual([
      // The services already named "Frontline" are noted, so a lost answer can be resolved.
      ["GET", "/v1/Services", {}],
      [
        "POST",
        "/v1/Services",
        { FriendlyName: "Frontline", StatusCallback: "https://api.example.com/status", StickySender: "true" },
      ],
    ]);
    await destroy(p, state);
    expect(services()[state.id]).toBeUndefined();
    expect(fixture.emulator.snapshot()).toBe(baseline);
  });

  it("adopts an existing service by SID: records what it changes and restores it, never deleting the service", async () => {
    const before = fixture.emulator.snapshot({ dates: false });
    const p = await provider();
    const { state } = await up(p, {
      adoptSid: existing,
      stickySender: true,
      statusCallback: "https://api.example.com/status",
    });
    expect(state.outs).toMatchObject({
      sid: existing,
      adopted: true,
      previous: { stickySender: false, statusCallback: "https://old.example.com/status" },
    });
    expect(services()[existing]).toMatchObject({ friendlyName: "Sales numbers", stickySender: true });
    await destroy(p, state);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
    expect(fixture.emulator.requests.some((r) => r.method === "DELETE")).toBe(false);
  });

  it("update renames in place and writes only what changed", async () => {
    const p = await provider();
    const first = await up(p, { friendlyName: "Frontline", stickySender: true });
    fixture.emulator.clearRequests();
    const renamed = await up(p, { friendlyName: "Frontline (prod)", stickySender: true }, first.state);
    expect(renamed.step).toBe("update");
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.form)).toEqual([
      { FriendlyName: "Frontline (prod)" },
    ]);
    expect(services()[first.state.id]?.friendlyName).toBe("Frontline (prod)");
  });

  it("switching between created and adopted, or to another SID, is a replacement", async () => {
    const p = await provider();
    const first = await up(p, { friendlyName: "Frontline" });
    expect((await p.diff!(first.state.id, first.state.outs as never, { adoptSid: existing })).replaces).toEqual([
      "adoptSid",
    ]);
    const replaced = await up(p, { adoptSid: existing }, first.state);
    expect(replaced.step).toBe("replace");
    expect(services()[first.state.id]).toBeUndefined();
    expect(replaced.state.id).toBe(existing);
  });

  it("read sees drift and reports a service deleted outside as gone; delete is then a no-op", async () => {
    const p = await provider();
    const { state } = await up(p, { friendlyName: "Frontline" });
    await changeOutside(fixture.emulator, "POST", `/messaging/v1/Services/${state.id}`, {
      FriendlyName: "Renamed in Console",
    });
    const refreshed = await refresh(p, state);
    expect(refreshed?.outs["friendlyName"]).toBe("Renamed in Console");
    expect((await up(p, { friendlyName: "Frontline" }, refreshed)).step).toBe("update");
    await changeOutside(fixture.emulator, "DELETE", `/messaging/v1/Services/${state.id}`);
    expect(await refresh(p, state)).toBeUndefined();
    await destroy(p, state);
    await destroy(p, state);
  });

  it("a no-op up makes no call", async () => {
    const p = await provider();
    const first = await up(p, { adoptSid: existing, stickySender: true });
    fixture.emulator.clearRequests();
    expect((await up(p, { adoptSid: existing, stickySender: true }, first.state)).step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
  });

  it("retries 500 and 429 on create (the emulator, like Twilio for 429, answers faults before acting)", async () => {
    fixture.emulator.injectFault({ method: "POST", path: "/messaging/v1/Services", status: 500, count: 1 });
    fixture.emulator.injectFault({ method: "POST", path: "/messaging/v1/Services", status: 429, count: 1 });
    const { state } = await up(await provider(), { friendlyName: "Frontline" });
    expect(Object.keys(services())).toEqual([existing, state.id]);
  });

  it("fails clearly on bad input", async () => {
    const p = await provider();
    await expect(up(p, {})).rejects.toThrow(/friendlyName is required unless adoptSid is set/);
    await expect(up(p, { friendlyName: "x".repeat(65) })).rejects.toThrow(
      /friendlyName must be a non-empty string of at most 64 characters/,
    );
    await expect(up(p, { friendlyName: "F", stickySender: "yes" })).rejects.toThrow(
      /stickySender must be true or false/,
    );
    await expect(up(p, { adoptSid: "MG" + "0".repeat(32) })).rejects.toThrow(/code 20404/);
    expect(fixture.emulator.writeCount()).toBe(0);
  });
});
