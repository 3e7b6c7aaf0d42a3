/**
 * Every provider's `__provider` text: small, free of credentials and local paths, not secret, and
 * working when loaded as the host loads it, in a fresh process against the emulator. Checked for
 * the text vitest produces and for the text `pulumi up` produces (ts-node, CommonJS).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { addressConfigurationProvider } from "../../infra/twilio/address-configuration.js";
import { conversationsDefaultsProvider } from "../../infra/twilio/conversations-defaults.js";
import { messagingServiceProvider } from "../../infra/twilio/messaging-service.js";
import { senderPoolEntryProvider } from "../../infra/twilio/sender-pool-entry.js";
import { serviceWebhooksProvider } from "../../infra/twilio/service-webhooks.js";
import {
  REPO_ROOT,
  runInFreshProcess,
  type Serialized,
  serializeAsPulumiUp,
  serializeProvider,
} from "../support/serialized-provider.js";
import { useTwilioEmulator } from "../support/twilio-emulator.js";

const fixture = useTwilioEmulator();

interface Case {
  type: string;
  module: string;
  provider: () => object;
  args: () => Record<string, unknown>;
}

let frontline: string;
let messaging: string;
const NUMBER = "+14155550100";

const cases: Case[] = [
  {
    type: "ConversationsDefaults",
    module: "conversations-defaults",
    provider: conversationsDefaultsProvider,
    args: () => ({ defaultChatServiceSid: frontline, defaultMessagingServiceSid: messaging }),
  },
  {
    type: "ServiceWebhooks",
    module: "service-webhooks",
    provider: serviceWebhooksProvider,
    args: () => ({
      conversationServiceSid: frontline,
      preWebhookUrl: "https://x.example/pre",
      postWebhookUrl: "https://x.example/post",
    }),
  },
  {
    type: "MessagingService",
    module: "messaging-service",
    provider: messagingServiceProvider,
    args: () => ({ friendlyName: "Frontline", stickySender: true }),
  },
  {
    type: "SenderPoolEntry",
    module: "sender-pool-entry",
    provider: senderPoolEntryProvider,
    args: () => ({ messagingServiceSid: messaging, phoneNumber: NUMBER }),
  },
  {
    type: "AddressConfiguration",
    module: "address-configuration",
    provider: addressConfigurationProvider,
    args: () => ({ address: NUMBER, conversationServiceSid: frontline }),
  },
];

const vitestForm = new Map<string, Serialized>();
const pulumiUpForm = new Map<string, { text: string; fresh: Serialized }>();

beforeAll(async () => {
  const emulator = fixture.emulator;
  frontline = emulator.addConversationService("Frontline Service");
  messaging = emulator.addMessagingService({ friendlyName: "Existing" });
  // As on a real account: the Console sets a default messaging service, and a SID cannot be restored to empty.
  emulator.setConfiguration({
    defaultMessagingServiceSid: emulator.addMessagingService({
      friendlyName: "Default Conversations Messaging Service",
    }),
  });
  emulator.addPhoneNumber(NUMBER);
  // Credentials sit in the environment while serializing: none of them may end up in the text.
  const credentialsEnv = { TWILIO_ACCOUNT_SID: emulator.accountSid, TWILIO_AUTH_TOKEN: emulator.authToken };
  Object.assign(process.env, credentialsEnv);
  try {
    for (const c of cases) vitestForm.set(c.type, await serializeProvider(c.provider()));
  } finally {
    delete process.env["TWILIO_ACCOUNT_SID"];
    delete process.env["TWILIO_AUTH_TOKEN"];
  }
  const engine = await serializeAsPulumiUp(
    cases.map((c) => ({
      module: `infra/twilio/${c.module}.ts`,
      resource: c.type,
      provider: `${c.type[0]!.toLowerCase()}${c.type.slice(1)}Provider`,
      args: c.args(),
    })),
    credentialsEnv,
  );
  cases.forEach((c, i) => {
    pulumiUpForm.set(c.type, engine[i]!);
  });
}, 120_000);

function expectPortable(serialized: Serialized): void {
  const { text } = serialized;
  expect(serialized.containsSecrets).toBe(false);
  expect(text.length).toBeLessThan(20 * 1024);
  expect(text).not.toContain(fixture.emulator.authToken);
  expect(text).not.toContain(fixture.emulator.accountSid);
  expect(text).not.toContain(REPO_ROOT);
  expect(text).not.toMatch(/\/(home|root|tmp|Users)\/|node_modules\//);
  // Nothing heavy: no client, no Pulumi runtime, twilio only by package name.
  expect(text).not.toMatch(/require\("@pulumi|__vite_ssr_dynamic_import__|twilio\/lib/);
  expect(text).toContain('require("twilio")');
  for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"])
    expect(text).toMatch(new RegExp(`\\b${method}(: |\\s*=\\s*)__`));
}

describe.each(cases)("$type provider serialization", (c) => {
  it("as vitest serializes it: portable, and it works in a fresh process", async () => {
    const serialized = vitestForm.get(c.type)!;
    expectPortable(serialized);
    const before = fixture.emulator.snapshot({ dates: false });
    const run = await runInFreshProcess(serialized.text, configOf(), c.args(), fixture.env());
    expect(run.error).toBeUndefined();
    expect(run.create?.id).toMatch(/^(AC|IS|MG|IG)[0-9a-f]{32}(\/PN[0-9a-f]{32})?$/);
    expect(run.read?.id).toBe(run.create?.id);
    expect(run.deleted).toBe(true);
    expect(fixture.emulator.snapshot({ dates: false })).toBe(before);
  });

  it("as `pulumi up` serializes it (ts-node, CommonJS, through dynamic.Resource): portable, and it works in a fresh process", async () => {
    const { text, fresh } = pulumiUpForm.get(c.type)!;
    expect(text).toBe(fresh.text);
    expectPortable({ text, containsSecrets: fresh.containsSecrets });
    const run = await runInFreshProcess(text, configOf(), c.args(), fixture.env());
    expect(run.error).toBeUndefined();
    expect(run.deleted).toBe(true);
  });
});

describe("provider sizes", () => {
  it("prints the serialized size of each provider", () => {
    const rows = cases.map(
      (c) =>
        `${c.type.padEnd(22)} ${String(pulumiUpForm.get(c.type)!.text.length).padStart(6)} B (pulumi up)  ${String(vitestForm.get(c.type)!.text.length).padStart(6)} B (vitest)`,
    );
    console.log(`serialized __provider sizes:\n${rows.join("\n")}`);
    expect(rows).toHaveLength(5);
  });
});

function configOf(): Record<string, string> {
  return { "twilio:accountSid": fixture.emulator.accountSid, "twilio:authToken": fixture.emulator.authToken };
}
