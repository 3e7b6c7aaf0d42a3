/**
 * Writes that land while their answer is lost, as real servers do: the emulator carries out the
 * write and then answers 500, or drops the connection. Every create, update and delete of every
 * provider meets one such fault on its first write, through Pulumi's real dynamic-provider host.
 * Each test runs up (and a second up when the first throws: a create that throws records nothing)
 * -> update -> destroy, and the account must end exactly as it began: no second messaging service,
 * no pool entry or address configuration taken for one that was there before.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultSpec } from "../../dev/twilio-emulator/index.js";
import type { DynamicResourceHandle, Props } from "../support/provider-host.js";
import { addConsoleDefaultMessagingService, useTwilioEmulator } from "../support/twilio-emulator.js";
import {
  startTwilioProviderHost,
  type TwilioProviderHost,
  type TwilioResourceType,
} from "../support/twilio-provider-host.js";

const fixture = useTwilioEmulator();

const NUMBER = "+14155550100";
const OTHER_NUMBER = "+14155550122";
const WHATSAPP = "whatsapp:+14155550133";
const URL_A = "https://a.example.com/callbacks/twilio-conversations";
const URL_B = "https://b.example.com/callbacks/twilio-conversations";

let providers: TwilioProviderHost;
let baseline: string;
const sids = { frontline: "", mgA: "", mgB: "", adopted: "" };

interface Case {
  name: string;
  type: TwilioResourceType;
  args: () => Props;
  /** Arguments for the update; absent where only a replacement can change the resource. */
  changed?: () => Props;
  /** The output that must say "made by Pulumi" after create, so destroy removes the object. */
  ours?: string;
}

const cases: Case[] = [
  {
    name: "ConversationsDefaults",
    type: "ConversationsDefaults",
    args: () => ({ defaultChatServiceSid: sids.frontline, defaultMessagingServiceSid: sids.mgA }),
    changed: () => ({ defaultChatServiceSid: sids.frontline, defaultMessagingServiceSid: sids.mgB }),
  },
  {
    name: "ServiceWebhooks",
    type: "ServiceWebhooks",
    args: () => ({ conversationServiceSid: sids.frontline, preWebhookUrl: URL_A, postWebhookUrl: URL_A }),
    changed: () => ({ conversationServiceSid: sids.frontline, preWebhookUrl: URL_B, postWebhookUrl: URL_B }),
  },
  {
    name: "MessagingService (created)",
    type: "MessagingService",
    args: () => ({ friendlyName: "Frontline" }),
    changed: () => ({ friendlyName: "Frontline", statusCallback: URL_B }),
    ours: "adopted",
  },
  {
    name: "MessagingService (adopted)",
    type: "MessagingService",
    args: () => ({ adoptSid: sids.adopted, inboundRequestUrl: URL_A }),
    changed: () => ({ adoptSid: sids.adopted, inboundRequestUrl: URL_B }),
  },
  {
    name: "SenderPoolEntry",
    type: "SenderPoolEntry",
    args: () => ({ messagingServiceSid: sids.mgA, phoneNumber: NUMBER }),
    ours: "preExisting",
  },
  {
    name: "AddressConfiguration (created)",
    type: "AddressConfiguration",
    args: () => ({ address: OTHER_NUMBER, conversationServiceSid: sids.frontline }),
    changed: () => ({ address: OTHER_NUMBER, conversationServiceSid: sids.frontline, friendlyName: "Frontline SMS" }),
    ours: "adopted",
  },
  {
    name: "AddressConfiguration (adopted)",
    type: "AddressConfiguration",
    args: () => ({ address: WHATSAPP, conversationServiceSid: sids.frontline }),
    changed: () => ({ address: WHATSAPP, conversationServiceSid: sids.frontline, friendlyName: "Frontline WhatsApp" }),
  },
];

const FAULTS: Array<[string, Omit<FaultSpec, "path" | "method">]> = [
  ["a 500 after the write landed", { status: 500, afterWrite: true }],
  ["a connection dropped after the write landed", { drop: true, afterWrite: true }],
];

type Phase = "create" | "update" | "delete";

beforeAll(async () => {
  const emulator = fixture.emulator;
  sids.frontline = emulator.addConversationService("Frontline Service");
  sids.mgA = emulator.addMessagingService({ friendlyName: "Senders A" });
  sids.mgB = emulator.addMessagingService({ friendlyName: "Senders B" });
  sids.adopted = emulator.addMessagingService({
    friendlyName: "Sales",
    inboundRequestUrl: "https://sales.example.net/in",
  });
  // A service that already carries the name: it is noted before the create, never taken for ours.
  emulator.addMessagingService({ friendlyName: "Frontline" });
  addConsoleDefaultMessagingService(emulator);
  emulator.setServiceWebhooks(sids.frontline, {
    preWebhookUrl: "https://old.example.net/pre",
    postWebhookUrl: null,
    filters: ["onMessageAdded"],
    method: "POST",
  });
  emulator.addPhoneNumber(NUMBER);
  emulator.addPhoneNumber(OTHER_NUMBER);
  const defaultService = emulator.state().configuration.defaultChatServiceSid!;
  emulator.addAddressConfiguration({
    type: "whatsapp",
    address: WHATSAPP,
    friendlyName: "bot",
    autoCreation: { enabled: false, type: "default", conversationServiceSid: defaultService },
  });
  baseline = emulator.snapshot();

  providers = await startTwilioProviderHost(fixture);
}, 120_000);

afterAll(() => providers?.close());

beforeEach(() => {
  fixture.emulator.restore(baseline);
  fixture.emulator.clearFaults();
  fixture.emulator.clearRequests();
});

/** Arms the fault for the first write of each kind (POST, DELETE) in the phase under test. */
function arm(fault: Omit<FaultSpec, "path" | "method">): void {
  for (const method of ["POST", "DELETE"]) fixture.emulator.injectFault({ ...fault, method, path: /^\// });
}

/** How many writes landed while their answer was lost. */
const lostAnswers = () => fixture.emulator.requests.filter((r) => r.landedStatus !== undefined).length;

interface Stored {
  id: string;
  outputs: Props;
}

/** One `pulumi up` for the resource: create when nothing is stored, else diff and update. A failed step keeps what was stored. */
async function up(res: DynamicResourceHandle, stored: Stored | undefined, args: Props): Promise<Stored | undefined> {
  const { inputs, failures } = await res.check(stored?.outputs ?? {}, args);
  expect(failures).toEqual([]);
  if (!stored) {
    try {
      const created = await res.create(inputs);
      return { id: created.id, outputs: created.properties };
    } catch {
      return stored;
    }
  }
  // Outside the try: a planned replacement must fail the test, not pass as a failed step.
  const diff = await res.diff(stored.id, stored.outputs, inputs);
  expect(diff.replaces).toEqual([]);
  if (diff.changes === "none") return stored;
  try {
    return { id: stored.id, outputs: (await res.update(stored.id, stored.outputs, inputs)).properties };
  } catch {
    return stored;
  }
}

async function lifecycle(c: Case, fault: Omit<FaultSpec, "path" | "method">, phase: Phase): Promise<void> {
  const emulator = fixture.emulator;
  const before = emulator.snapshot({ dates: false });
  const res = providers.resource(c.type, `${c.type}-${phase}`);
  let landed = 0;
  const step = async <T>(name: Phase, run: () => Promise<T>): Promise<T> => {
    if (name === phase) arm(fault);
    const seen = lostAnswers();
    try {
      return await run();
    } finally {
      if (name === phase) landed = lostAnswers() - seen;
      emulator.clearFaults();
    }
  };

  let stored = await step("create", () => up(res, undefined, c.args()));
  // A create that throws records nothing; the engine's next `pulumi up` creates again.
  stored ??= await up(res, undefined, c.args());
  expect(stored, "created after a second up at most").toBeDefined();
  if (c.ours) expect(stored!.outputs[c.ours], "the object is recorded as made by Pulumi").toBe(false);

  if (c.changed) {
    const updated = await step("update", () => up(res, stored, c.changed!()));
    stored = updated === stored ? await up(res, stored, c.changed()) : updated;
    expect(stored!.outputs).toMatchObject(c.changed());
  }

  await step("delete", () =>
    res.delete(stored!.id, stored!.outputs).then(
      () => true,
      () => false,
    ),
  ).then(async (deleted) => deleted || (await res.delete(stored!.id, stored!.outputs)));
  expect(landed, `the ${phase} met a lost answer`).toBeGreaterThan(0);
  expect(emulator.snapshot({ dates: false })).toBe(before);
}

describe.each(FAULTS)("%s", (_label, fault) => {
  describe.each(cases)("$name", (c) => {
    it("create: finds out what happened by natural key, and destroy leaves the account as it began", async () => {
      await lifecycle(c, fault, "create");
    });
    if (c.changed) {
      it("update: the absolute values are sent again, and destroy leaves the account as it began", async () => {
        await lifecycle(c, fault, "update");
      });
    }
    it("delete: a repeat that meets 20404, or a restore sent again, is done; the account is as it began", async () => {
      await lifecycle(c, fault, "delete");
    });
  });
});

describe("the three cases seen with a proxy in front of real Twilio", () => {
  it("messaging service: one service after the lost answer, and destroy deletes it", async () => {
    const res = providers.resource("MessagingService", "ms");
    const before = fixture.emulator.snapshot({ dates: false });
    arm({ status: 500, afterWrite: true });
    const created = await res.create((await res.check({}, { friendlyName: "Frontline" })).inputs);
    fixture.emulator.clearFaults();
    const named = Object.values(fixture.emulator.state().messagingServices).filter(
      (s) => s.friendlyName === "Frontline",
    );
    // The one seeded before, and ours: never a third.
    expect(named.map((s) => s.sid)).toEqual([expect.any(String), created.id]);
    expect(fixture.emulator.requestsMatching({ method: "POST" }).map((r) => r.status)).toEqual([500]);
    await res.delete(created.id, created.properties);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
  });

  it("sender pool entry: the entry found after the lost answer is ours, so destroy takes the number out", async () => {
    const res = providers.resource("SenderPoolEntry", "pool");
    arm({ drop: true, afterWrite: true });
    const created = await res.create(
      (await res.check({}, { messagingServiceSid: sids.mgA, phoneNumber: NUMBER })).inputs,
    );
    fixture.emulator.clearFaults();
    expect(created.properties["preExisting"]).toBe(false);
    await res.delete(created.id, created.properties);
    expect(Object.keys(fixture.emulator.state().messagingServices[sids.mgA]!.phoneNumbers)).toEqual([]);
  });

  it("address configuration: the one found by address after the lost answer is ours, so destroy deletes it", async () => {
    const res = providers.resource("AddressConfiguration", "ac");
    arm({ status: 500, afterWrite: true });
    const created = await res.create(
      (await res.check({}, { address: OTHER_NUMBER, conversationServiceSid: sids.frontline })).inputs,
    );
    fixture.emulator.clearFaults();
    expect(created.properties).toMatchObject({ adopted: false, previous: {} });
    await res.delete(created.id, created.properties);
    expect(Object.values(fixture.emulator.state().addressConfigurations).map((a) => a.address)).toEqual([WHATSAPP]);
  });
});
