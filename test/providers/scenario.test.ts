/**
 * The whole Twilio side of a stack, driven through Pulumi's dynamic-provider host with the code
 * `pulumi up` would store: on an account that is already configured (defaults, webhooks, an address
 * configuration), create everything, run a no-op up (plain and with refresh),
 * update, destroy, and compare the account with what it was. Prints the Twilio call counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../dev/twilio-emulator/index.js";
import type { DynamicResourceHandle, Props } from "../support/provider-host.js";
import { addConsoleDefaultMessagingService, useTwilioEmulator } from "../support/twilio-emulator.js";
import {
  startTwilioProviderHost,
  type TwilioProviderHost,
  type TwilioResourceType,
} from "../support/twilio-provider-host.js";

const fixture = useTwilioEmulator();

const SMS = "+14155550100";
const WHATSAPP = "whatsapp:+14155550111";
const URL_A = "https://a1b2c3.execute-api.eu-west-1.amazonaws.com/callbacks/twilio-conversations";
const URL_B = "https://frontline.example.com/callbacks/twilio-conversations";

interface Spec {
  name: string;
  type: TwilioResourceType;
  /** The resource's arguments, given the outputs of those declared before it. */
  args: (outputs: Map<string, Props>) => Props;
}

interface Stored {
  id: string;
  inputs: Props;
  outputs: Props;
}

/** The engine's part of `pulumi up` / `refresh` / `destroy` for resources declared in dependency order. */
class MiniEngine {
  readonly state = new Map<string, Stored>();
  constructor(private readonly handles: Map<string, DynamicResourceHandle>) {}

  private outputs(): Map<string, Props> {
    return new Map([...this.state].map(([name, stored]) => [name, stored.outputs]));
  }

  async up(specs: readonly Spec[]): Promise<Record<string, string>> {
    const steps: Record<string, string> = {};
    for (const spec of specs) {
      const handle = this.handles.get(spec.name)!;
      const old = this.state.get(spec.name);
      const checked = await handle.check(old?.inputs ?? {}, spec.args(this.outputs()));
      if (checked.failures.length) throw new Error(`${spec.name}: ${checked.failures.map((f) => f.reason).join("; ")}`);
      if (!old) {
        const created = await handle.create(checked.inputs);
        this.state.set(spec.name, { id: created.id, inputs: checked.inputs, outputs: created.properties });
        steps[spec.name] = "create";
        continue;
      }
      const diff = await handle.diff(old.id, old.outputs, checked.inputs);
      if (diff.changes === "none") {
        this.state.set(spec.name, { ...old, inputs: checked.inputs });
        steps[spec.name] = "same";
      } else if (diff.replaces.length) {
        if (diff.deleteBeforeReplace) await handle.delete(old.id, old.outputs);
        const created = await handle.create(checked.inputs);
        if (!diff.deleteBeforeReplace) await handle.delete(old.id, old.outputs);
        this.state.set(spec.name, { id: created.id, inputs: checked.inputs, outputs: created.properties });
        steps[spec.name] = "replace";
      } else {
        const updated = await handle.update(old.id, old.outputs, checked.inputs);
        this.state.set(spec.name, { id: old.id, inputs: checked.inputs, outputs: updated.properties });
        steps[spec.name] = "update";
      }
    }
    return steps;
  }

  async refresh(): Promise<void> {
    for (const [name, stored] of this.state) {
      const read = await this.handles.get(name)!.read(stored.id, stored.outputs);
      if (read.id) this.state.set(name, { ...stored, outputs: read.properties });
      else this.state.delete(name);
    }
  }

  async destroy(specs: readonly Spec[]): Promise<void> {
    for (const spec of [...specs].reverse()) {
      const stored = this.state.get(spec.name);
      if (stored) await this.handles.get(spec.name)!.delete(stored.id, stored.outputs);
      this.state.delete(spec.name);
    }
  }
}

let providers: TwilioProviderHost;
let engine: MiniEngine;
let frontlineService: string;
let seeded: { defaultChat: string; defaultMessaging: string };
let before: { values: string; dated: string };
const figures: Array<[string, RecordedRequest[]]> = [];

const stack = (url: string, stackName: string): Spec[] => [
  {
    name: "webhooks",
    type: "ServiceWebhooks",
    args: () => ({ conversationServiceSid: frontlineService, preWebhookUrl: url, postWebhookUrl: url }),
  },
  {
    name: "messaging",
    type: "MessagingService",
    args: () => ({ friendlyName: `Frontline ${stackName}` }),
  },
  {
    name: "pool",
    type: "SenderPoolEntry",
    args: (o) => ({ messagingServiceSid: o.get("messaging")!["sid"], phoneNumber: SMS }),
  },
  {
    name: "defaults",
    type: "ConversationsDefaults",
    args: (o) => ({ defaultChatServiceSid: frontlineService, defaultMessagingServiceSid: o.get("messaging")!["sid"] }),
  },
  {
    name: "sms-inbound",
    type: "AddressConfiguration",
    args: () => ({
      address: SMS,
      conversationServiceSid: frontlineService,
      friendlyName: `Frontline ${stackName} SMS`,
    }),
  },
  {
    name: "whatsapp-inbound",
    type: "AddressConfiguration",
    args: () => ({ address: WHATSAPP, conversationServiceSid: frontlineService }),
  },
];

beforeAll(async () => {
  const emulator = fixture.emulator;
  // An account someone already set up by hand: Frontline's service with a tunnel's webhooks, the
  // Console's defaults, an address configuration that does not autocreate.
  frontlineService = emulator.addConversationService("Frontline Service");
  emulator.setServiceWebhooks(frontlineService, {
    preWebhookUrl: "https://tunnel.example.net/hook",
    postWebhookUrl: "https://tunnel.example.net/hook",
    filters: ["onConversationAdd"],
    method: "POST",
  });
  const defaultMessaging = addConsoleDefaultMessagingService(emulator);
  emulator.addPhoneNumber(SMS);
  // Its service is set: a SID has no empty value in the spec, so a null one could not be restored
  // (address-configuration.test.ts covers that case).
  emulator.addAddressConfiguration({
    address: SMS,
    friendlyName: "inbound bot",
    autoCreation: {
      enabled: false,
      type: "webhook",
      conversationServiceSid: emulator.state().configuration.defaultChatServiceSid,
      webhookUrl: "https://bot.example.net/in",
      webhookMethod: "POST",
      webhookFilters: ["onMessageAdded"],
    },
  });
  seeded = { defaultChat: emulator.state().configuration.defaultChatServiceSid!, defaultMessaging };
  before = { values: emulator.snapshot({ dates: false }), dated: emulator.snapshot() };

  const specs = stack(URL_A, "dev");
  providers = await startTwilioProviderHost(fixture);
  engine = new MiniEngine(new Map(specs.map((s) => [s.name, providers.resource(s.type, s.name)])));
  emulator.clearRequests();
}, 120_000);

afterAll(async () => {
  await providers?.close();
  if (figures.length) {
    const row = (label: string, requests: RecordedRequest[]) => {
      const writes = requests.filter((r) => r.method !== "GET").length;
      return `${label.padEnd(34)} ${String(requests.length).padStart(3)} calls  ${String(requests.length - writes).padStart(3)} reads  ${String(writes).padStart(3)} writes`;
    };
    console.log(
      `Twilio API calls, full scenario (6 resources):\n${figures.map(([label, requests]) => row(label, requests)).join("\n")}`,
    );
  }
});

function phase(label: string): RecordedRequest[] {
  const requests = [...fixture.emulator.requests];
  figures.push([label, requests]);
  fixture.emulator.clearRequests();
  return requests;
}

describe("full scenario on a pre-configured account", () => {
  it("first up creates or adopts everything", async () => {
    const steps = await engine.up(stack(URL_A, "dev"));
    expect(Object.values(steps)).toEqual(Array(6).fill("create"));
    const requests = phase("first up");
    // The failed calls are the lookups by natural key that find nothing: the new pool entry and the
    // new WhatsApp address's configuration.
    const pn = Object.values(fixture.emulator.state().phoneNumbers).find((n) => n.phoneNumber === SMS)!.sid;
    expect(requests.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /v1/Services/${engine.state.get("messaging")!.id}/PhoneNumbers/${pn} 404`,
      `GET /v1/Configuration/Addresses/${encodeURIComponent(WHATSAPP)} 404`,
    ]);
    const state = fixture.emulator.state();
    const mg = engine.state.get("messaging")!.id;
    expect(state.configuration).toMatchObject({
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: mg,
    });
    expect(state.conversationServices[frontlineService]?.webhooks).toEqual({
      preWebhookUrl: URL_A,
      postWebhookUrl: URL_A,
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
    });
    expect(Object.keys(state.messagingServices[mg]!.phoneNumbers)).toHaveLength(1);
    expect(
      Object.values(state.addressConfigurations).map((c) => [
        c.address,
        c.autoCreation.enabled,
        c.autoCreation.type,
        c.autoCreation.conversationServiceSid,
      ]),
    ).toEqual([
      [SMS, true, "default", frontlineService],
      [WHATSAPP, true, "default", frontlineService],
    ]);
    expect(engine.state.get("defaults")!.outputs["previous"]).toEqual({
      defaultChatServiceSid: seeded.defaultChat,
      defaultMessagingServiceSid: seeded.defaultMessaging,
    });
  });

  it("a no-op up makes no Twilio call at all", async () => {
    const steps = await engine.up(stack(URL_A, "dev"));
    expect(Object.values(steps)).toEqual(Array(6).fill("same"));
    expect(phase("no-op up")).toEqual([]);
  });

  it("a no-op up --refresh reads each resource once and writes nothing", async () => {
    await engine.refresh();
    const steps = await engine.up(stack(URL_A, "dev"));
    expect(Object.values(steps)).toEqual(Array(6).fill("same"));
    const requests = phase("no-op up --refresh");
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(requests).toHaveLength(6);
  });

  it("an update (new API URL, renamed stack) writes only what changed", async () => {
    const steps = await engine.up(stack(URL_B, "prod"));
    expect(steps).toMatchObject({
      webhooks: "update",
      messaging: "update",
      "sms-inbound": "update",
      pool: "same",
      defaults: "same",
      "whatsapp-inbound": "same",
    });
    const writes = phase("update").filter((r) => r.method !== "GET");
    expect(writes.map((r) => [r.path, r.form])).toEqual([
      [`/v1/Services/${frontlineService}/Configuration/Webhooks`, { PreWebhookUrl: URL_B, PostWebhookUrl: URL_B }],
      [`/v1/Services/${engine.state.get("messaging")!.id}`, { FriendlyName: "Frontline prod" }],
      [`/v1/Configuration/Addresses/${engine.state.get("sms-inbound")!.id}`, { FriendlyName: "Frontline prod SMS" }],
    ]);
  });

  it("destroy leaves every field as it was before the first up", async () => {
    await engine.destroy(stack(URL_B, "prod"));
    const requests = phase("destroy");
    expect(requests.every((r) => r.status < 400)).toBe(true);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before.values);
  });

  it("never created or deleted a Conversations service, never bought or released a number", () => {
    const all = figures.flatMap(([, requests]) => requests);
    expect(
      all.filter(
        (r) => r.host === "conversations.twilio.com" && r.method !== "GET" && /^\/v1\/Services(\/IS\w+)?$/.test(r.path),
      ),
    ).toEqual([]);
    expect(all.filter((r) => r.method !== "GET" && r.path.includes("IncomingPhoneNumbers"))).toEqual([]);
    expect(fixture.emulator.state().conversationServices[frontlineService]).toBeDefined();
  });

  it("the only differences with dates included are date_updated on the objects a restore wrote back", () => {
    const changed: string[] = [];
    const walk = (a: unknown, b: unknown, path: string): void => {
      if (a !== null && typeof a === "object" && b !== null && typeof b === "object") {
        for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
          walk((a as Props)[key], (b as Props)[key], `${path}.${key}`);
      } else if (a !== b) changed.push(path);
    };
    walk(JSON.parse(before.dated), JSON.parse(fixture.emulator.snapshot()), "");
    expect(changed.every((path) => path.endsWith(".dateUpdated"))).toBe(true);
    expect(changed.length).toBeGreaterThan(0);
  });
});
