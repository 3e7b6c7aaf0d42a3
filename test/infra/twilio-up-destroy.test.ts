/**
 * The program's Twilio resources, end to end without a Twilio account: the program is loaded as the
 * Pulumi CLI loads it, and the serialized providers it produced run in Pulumi's real dynamic-provider
 * host against the Twilio emulator, applied in dependency order as the engine would. Then destroy,
 * in reverse order, must leave the account exactly as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Props, type ProviderHost, startProviderHost } from "../support/provider-host.js";
import { addConsoleDefaultMessagingService, useTwilioEmulator } from "../support/twilio-emulator.js";
import { loadLikePulumiCli } from "./cli-load.js";

const PROJECT = "frontline-stack";
const SMS = "+15551230001";
const WHATSAPP = "whatsapp:+15551230001";
const API = "https://x.execute-api.us-east-1.amazonaws.com";

const fixture = useTwilioEmulator();

/** The engine's order for these resources, as the program's dependsOn and inputs declare it. */
const ORDER = [
  "MessagingService",
  "SenderPoolEntry",
  "ServiceWebhooks",
  "ConversationsDefaults",
  "AddressConfiguration",
];

interface Applied {
  handle: ReturnType<ProviderHost["resource"]>;
  id: string;
  properties: Props;
  type: string;
}

let host: ProviderHost | undefined;
let frontlineService: string;
let baseline: string;

beforeEach(async () => {
  const emulator = fixture.emulator;
  if (!baseline) {
    emulator.addPhoneNumber(SMS);
    frontlineService = emulator.addConversationService("Frontline Service");
    // An account someone configured before: all of this must come back after destroy.
    emulator.setServiceWebhooks(frontlineService, {
      preWebhookUrl: "https://old.example.com/pre",
      postWebhookUrl: null,
      filters: ["onMessageAdded"],
      method: "GET",
    });
    // Autocreation off, with no type and no service: the case a restore cannot fully write back.
    emulator.addAddressConfiguration({
      type: "whatsapp",
      address: WHATSAPP,
      friendlyName: "old",
      autoCreation: { enabled: false },
    });
    addConsoleDefaultMessagingService(emulator);
    baseline = emulator.snapshot();
  }
  emulator.restore(baseline);
  host = await startProviderHost({ project: PROJECT, env: fixture.env() });
  await host.configure({ "twilio:accountSid": emulator.accountSid, "twilio:authToken": emulator.authToken }, [
    "twilio:authToken",
  ]);
});

afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** `pulumi up` for the program's Twilio resources: check, then create, feeding real outputs forward. */
async function up(extraConfig: Record<string, string>): Promise<Applied[]> {
  const emulator = fixture.emulator;
  const load = loadLikePulumiCli({
    "twilio:accountSid": emulator.accountSid,
    "twilio:authToken": emulator.authToken,
    [`${PROJECT}:conversationsServiceSid`]: frontlineService,
    [`${PROJECT}:smsNumber`]: SMS,
    ...extraConfig,
  });
  const typeOf = (type: string) => type.slice("pulumi-nodejs:dynamic/twilio:".length);
  const resources = [...load.dynamic].sort((a, b) => ORDER.indexOf(typeOf(a.type)) - ORDER.indexOf(typeOf(b.type)));
  expect(resources.every((r) => ORDER.includes(typeOf(r.type)))).toBe(true);

  const applied: Applied[] = [];
  let messagingServiceSid: string | undefined;
  for (const resource of resources) {
    const { __provider: providerText, ...declared } = resource.inputs;
    // The mocks answered a placeholder SID; the engine would pass the created service's real one.
    const inputs = JSON.parse(
      JSON.stringify(declared).replaceAll(
        load.mockMessagingServiceSid,
        messagingServiceSid ?? load.mockMessagingServiceSid,
      ),
    ) as Props;
    const handle = host!.resource(String(providerText), `twilio:${typeOf(resource.type)}`, resource.name);
    const checked = await handle.check({}, inputs);
    expect(checked.failures, `${resource.name}: ${host!.stderr()}`).toEqual([]);
    const created = await handle.create(checked.inputs).catch((error: unknown) => {
      throw new Error(`${resource.name} create failed: ${String(error)}\n${host!.stderr()}`);
    });
    if (typeOf(resource.type) === "MessagingService") messagingServiceSid = String(created.properties["sid"]);
    applied.push({ handle, id: created.id, properties: created.properties, type: typeOf(resource.type) });
  }
  return applied;
}

async function destroy(applied: Applied[]): Promise<void> {
  for (const resource of [...applied].reverse()) await resource.handle.delete(resource.id, resource.properties);
}

/** The paths where two snapshots differ. */
function differences(before: string, after: string): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a !== null && typeof a === "object" && b !== null && typeof b === "object") {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk((a as Props)[key], (b as Props)[key], `${path}.${key}`);
    } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`);
  };
  walk(JSON.parse(before), JSON.parse(after), "");
  return out;
}

describe("the program's Twilio resources against the emulator", () => {
  it("address-configuration mode: Twilio ends up pointed at the callbacks, and destroy restores the account", async () => {
    const emulator = fixture.emulator;
    const before = emulator.snapshot({ dates: false });
    const applied = await up({ [`${PROJECT}:whatsappNumber`]: WHATSAPP });
    const state = emulator.state();

    expect(state.conversationServices[frontlineService]!.webhooks).toEqual({
      preWebhookUrl: `${API}/callbacks/twilio-conversations`,
      postWebhookUrl: `${API}/callbacks/twilio-conversations`,
      filters: ["onConversationAdd", "onParticipantAdded"],
      method: "POST",
    });
    const created = Object.values(state.messagingServices).filter(
      (s) => s.friendlyName !== "Default Conversations Messaging Service",
    );
    expect(created.map((s) => s.friendlyName)).toEqual(["Frontline dev"]);
    const pn = Object.values(state.phoneNumbers).find((n) => n.phoneNumber === SMS)!.sid;
    expect(Object.keys(created[0]!.phoneNumbers)).toEqual([pn]);
    expect(state.configuration).toMatchObject({
      defaultChatServiceSid: frontlineService,
      defaultMessagingServiceSid: created[0]!.sid,
    });
    const autocreation = Object.values(state.addressConfigurations).map((a) => [
      a.address,
      a.autoCreation.enabled,
      a.autoCreation.conversationServiceSid,
    ]);
    expect(autocreation.sort()).toEqual([
      [SMS, true, frontlineService],
      [WHATSAPP, true, frontlineService],
    ]);
    expect(applied.map((a) => a.type)).toEqual([...ORDER.slice(0, 4), "AddressConfiguration", "AddressConfiguration"]);

    await destroy(applied);
    // The adopted WhatsApp configuration had no autocreation type and no service. The spec has no
    // empty value for either (an enum and a SID), so the restore leaves them out and ours stay;
    // autocreation is off again, so they do nothing. Everything else is as it was.
    const whatsapp = Object.values(emulator.state().addressConfigurations).find((a) => a.address === WHATSAPP)!.sid;
    expect(differences(before, emulator.snapshot({ dates: false }))).toEqual([
      `.addressConfigurations.${whatsapp}.autoCreation.conversationServiceSid: null -> "${frontlineService}"`,
      `.addressConfigurations.${whatsapp}.autoCreation.type: null -> "default"`,
    ]);
    expect(emulator.state().addressConfigurations[whatsapp]!.autoCreation.enabled).toBe(false);
  }, 120_000);

  it("messaging-service mode with an adopted service: no autocreation is touched, and destroy restores the service", async () => {
    const emulator = fixture.emulator;
    const adopted = emulator.addMessagingService({ friendlyName: "Sales numbers" });
    const before = emulator.snapshot({ dates: false });
    const applied = await up({
      [`${PROJECT}:inboundMode`]: "messaging-service",
      [`${PROJECT}:messagingServiceSid`]: adopted,
    });
    const state = emulator.state();

    expect(applied.map((a) => a.type)).toEqual(ORDER.slice(0, 4));
    expect(Object.values(state.messagingServices).map((s) => s.friendlyName)).toEqual([
      "Default Conversations Messaging Service",
      "Sales numbers",
    ]);
    expect(state.messagingServices[adopted]!.friendlyName).toBe("Sales numbers");
    expect(Object.keys(state.messagingServices[adopted]!.phoneNumbers)).toHaveLength(1);
    expect(state.configuration.defaultMessagingServiceSid).toBe(adopted);
    // The pre-existing WhatsApp configuration is left as it was.
    expect(Object.values(state.addressConfigurations).map((a) => [a.address, a.autoCreation.enabled])).toEqual([
      [WHATSAPP, false],
    ]);

    await destroy(applied);
    expect(emulator.snapshot({ dates: false })).toBe(before);
  }, 120_000);
});
