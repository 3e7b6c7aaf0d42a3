import { type DynamicResourceHandle, type ProviderHost, startProviderHost } from "./provider-host.js";
import { serializeAsPulumiUp } from "./serialized-provider.js";
import type { EmulatorFixture } from "./twilio-emulator.js";

/** Each Twilio dynamic resource and the infra/twilio module that exports it (and its `<type>Provider`). */
const TWILIO_RESOURCE_MODULES = {
  ConversationsDefaults: "conversations-defaults",
  ServiceWebhooks: "service-webhooks",
  MessagingService: "messaging-service",
  SenderPoolEntry: "sender-pool-entry",
  AddressConfiguration: "address-configuration",
} as const;

export type TwilioResourceType = keyof typeof TWILIO_RESOURCE_MODULES;
const TYPES = Object.keys(TWILIO_RESOURCE_MODULES) as TwilioResourceType[];

export interface TwilioProviderHost {
  readonly host: ProviderHost;
  /** The provider text `pulumi up` stores as `__provider` for resources of `type`. */
  text(type: string): string;
  /** A resource of `type` driven with the current provider text. */
  resource(type: string, name: string): DynamicResourceHandle;
  close(): Promise<void>;
}

/**
 * Pulumi's dynamic-provider host as `pulumi up` runs it against the emulator: every Twilio provider
 * serialized the way the engine stores it, the host reaching the emulator, and Configure sent with
 * the emulator's credentials (the auth token as a secret). Call from a hook once the fixture runs.
 */
export async function startTwilioProviderHost(fixture: EmulatorFixture): Promise<TwilioProviderHost> {
  const serialized = await serializeAsPulumiUp(
    TYPES.map((type) => ({
      module: `infra/twilio/${TWILIO_RESOURCE_MODULES[type]}.ts`,
      resource: type,
      provider: `${type[0]!.toLowerCase()}${type.slice(1)}Provider`,
      args: {},
    })),
  );
  const texts = new Map<string, string>(TYPES.map((type, i) => [type, serialized[i]!.text]));
  const host = await startProviderHost({ env: fixture.env() });
  const { accountSid, authToken } = fixture.emulator;
  try {
    await host.configure({ "twilio:accountSid": accountSid, "twilio:authToken": authToken }, ["twilio:authToken"]);
  } catch (error) {
    await host.close();
    throw error;
  }
  const text = (type: string): string => {
    const found = texts.get(type);
    if (found === undefined) throw new Error(`no Twilio provider for resource type ${type}`);
    return found;
  };
  return {
    host,
    text,
    resource: (type, name) => host.resource(text(type), `twilio:${type}`, name),
    close: () => host.close(),
  };
}
