import { beforeEach, describe, expect, it } from "vitest";
import { serviceWebhooksProvider } from "../../infra/twilio/service-webhooks.js";
import { configured, destroy, refresh, up } from "../support/dynamic-engine.js";
import { changeOutside } from "../support/outside-change.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

const PRE = "https://api.example.com/callbacks/twilio-conversations";
const POST = "https://api.example.com/callbacks/twilio-conversations?post=1";
const OLD = {
  preWebhookUrl: "https://old.example.com/pre",
  postWebhookUrl: "https://old.example.com/post",
  filters: ["onMessageAdded"],
  method: "GET" as const,
};

let baseline: string;
let service: string;
let bareService: string;

beforeEach(() => {
  const emulator = fixture.emulator;
  if (!baseline) {
    service = emulator.addConversationService("Frontline Service");
    emulator.setServiceWebhooks(service, OLD);
    bareService = emulator.addConversationService("Never configured");
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  emulator.clearRequests();
  emulator.clearFaults();
});

const provider = () => configured(serviceWebhooksProvider(), fixture.config());
const webhooks = (sid: string) => fixture.emulator.state().conversationServices[sid]!.webhooks;
const args = (sid = service) => ({ conversationServiceSid: sid, preWebhookUrl: PRE, postWebhookUrl: POST });

describe("ServiceWebhooks against the emulator", () => {
  it("create records the webhooks found and sets Frontline's, with POST and the two events by default", async () => {
    const { state } = await up(await provider(), args());
    expect(state.id).toBe(service);
    expect(state.outs["previous"]).toEqual(OLD);
    expect(webhooks(service)).toEqual({
      preWebhookUrl: PRE,
      postWebhookUrl: POST,
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
    });
    expect(fixture.emulator.requests.at(-1)).toMatchObject({
      method: "POST",
      path: `/v1/Services/${service}/Configuration/Webhooks`,
      form: {
        PreWebhookUrl: PRE,
        PostWebhookUrl: POST,
        Filters: ["onConversationAdd", "onParticipantAdded"],
        Method: "POST",
      },
    });
  });

  it("destroy restores the previous webhooks exactly (values; the restoring write moves date_updated, as on Twilio)", async () => {
    const before = fixture.emulator.snapshot({ dates: false });
    const p = await provider();
    const { state } = await up(p, args());
    await destroy(p, state);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
  });

  it("destroy on a never-configured service clears every field again (empty values)", async () => {
    const before = fixture.emulator.snapshot({ dates: false });
    const p = await provider();
    const { state } = await up(p, args(bareService));
    expect(state.outs["previous"]).toEqual({ preWebhookUrl: null, postWebhookUrl: null, filters: null, method: null });
    fixture.emulator.clearRequests();
    await destroy(p, state);
    expect(fixture.emulator.requests[0]?.form).toEqual({
      PreWebhookUrl: "",
      PostWebhookUrl: "",
      Filters: "",
      Method: "",
    });
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
  });

  it("read sees a change made outside; the next up writes ours back and keeps the original record", async () => {
    const p = await provider();
    const first = await up(p, args());
    fixture.emulator.setServiceWebhooks(service, { filters: ["onConversationAdd"] });
    const refreshed = await refresh(p, first.state);
    expect(refreshed?.outs["filters"]).toEqual(["onConversationAdd"]);
    fixture.emulator.clearRequests();
    const next = await up(p, args(), refreshed);
    expect(next.step).toBe("update");
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.form)).toEqual([
      { Filters: ["onConversationAdd", "onParticipantAdded"] },
    ]);
    expect(next.state.outs["previous"]).toEqual(OLD);
  });

  it("read reports the resource gone when the service was deleted outside Pulumi, and delete then succeeds", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    await changeOutside(fixture.emulator, "DELETE", `/conversations/v1/Services/${service}`);
    expect(await refresh(p, state)).toBeUndefined();
    await expect(destroy(p, state)).resolves.toBeUndefined();
  });

  it("update changes a URL in place; another service is a replacement", async () => {
    const p = await provider();
    const first = await up(p, args());
    const moved = await up(p, { ...args(), postWebhookUrl: "https://api.example.com/post" }, first.state);
    expect(moved.step).toBe("update");
    expect(webhooks(service).postWebhookUrl).toBe("https://api.example.com/post");
    expect(
      await p.diff!(service, moved.state.outs as never, {
        ...args(bareService),
        filters: ["onConversationAdd", "onParticipantAdded"],
        method: "POST",
      }),
    ).toEqual({
      changes: true,
      replaces: ["conversationServiceSid"],
      deleteBeforeReplace: true,
    });
    const replaced = await up(p, args(bareService), moved.state);
    expect(replaced.step).toBe("replace");
    expect(webhooks(service)).toEqual(OLD);
    expect(webhooks(bareService).preWebhookUrl).toBe(PRE);
  });

  it("a no-op up makes no call; a forced update makes no write", async () => {
    const p = await provider();
    const first = await up(p, { ...args(), filters: ["onParticipantAdded", "onConversationAdd"] });
    fixture.emulator.clearRequests();
    expect((await up(p, args(), first.state)).step).toBe("same");
    expect(fixture.emulator.requests).toEqual([]);
    await p.update!(service, first.state.outs as never, first.state.inputs as never);
    expect(fixture.emulator.writeCount()).toBe(0);
  });

  it("delete is idempotent", async () => {
    const p = await provider();
    const { state } = await up(p, args());
    await destroy(p, state);
    await destroy(p, state);
    expect(webhooks(service)).toEqual(OLD);
  });

  it("retries 429 and 500 on the write", async () => {
    fixture.emulator.injectFault({
      method: "POST",
      path: /Configuration\/Webhooks$/,
      status: 429,
      count: 1,
      retryAfterSeconds: 0,
    });
    fixture.emulator.injectFault({ method: "POST", path: /Configuration\/Webhooks$/, status: 500, count: 1 });
    await up(await provider(), args());
    expect(fixture.emulator.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([429, 500, 200]);
    expect(webhooks(service).preWebhookUrl).toBe(PRE);
  });

  it("fails clearly on bad input", async () => {
    const p = await provider();
    await expect(up(p, { ...args(), preWebhookUrl: "http://api.example.com/x" })).rejects.toThrow(
      /preWebhookUrl must be an https:\/\/ URL/,
    );
    await expect(up(p, { ...args(), filters: ["onConversationAdd"] })).rejects.toThrow(
      /filters must be a list of Conversations webhook events \(onParticipantAdd, onParticipantAdded, \.\.\.\) that includes onConversationAdd and onParticipantAdded, which Frontline needs, got \["onConversationAdd"\]/,
    );
    await expect(up(p, { ...args(), conversationServiceSid: "MG" + "0".repeat(32) })).rejects.toThrow(
      /"IS" and 32 hex/,
    );
    await expect(up(p, args("IS" + "0".repeat(32)))).rejects.toThrow(
      /HTTP 404, code 20404.*Hint: not on this account: check the SID/,
    );
    expect(fixture.emulator.writeCount()).toBe(0);
  });
});
