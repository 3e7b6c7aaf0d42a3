/** The emulator object tests hold: server lifecycle, request log, faults, state and seeding. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { canonicalJson } from "./canonical-json.js";
import { FaultQueue } from "./faults.js";
import { RequestLog } from "./request-log.js";
import { createAddressConfiguration } from "./resources/address-configurations.js";
import {
  createConversationService,
  getConversationService,
  updateConfiguration,
  updateServiceWebhooks,
} from "./resources/conversation-services.js";
import { createFrontlineUser } from "./resources/frontline-users.js";
import { addToPool, createMessagingService } from "./resources/messaging-services.js";
import { addParticipant, createConversation } from "./resources/participants.js";
import { createPhoneNumber } from "./resources/phone-numbers.js";
import { createRequestListener } from "./server.js";
import type { AccountState } from "./state.js";
import { Store } from "./store.js";
import type {
  AddressConfigurationSeed,
  ConfigurationSeed,
  ConversationSeed,
  EmulatorOptions,
  FaultSpec,
  FrontlineUserSeed,
  MessagingServiceSeed,
  ParticipantSeed,
  PhoneNumberSeed,
  RecordedRequest,
  RequestFilter,
  ServiceWebhooksSeed,
  SnapshotOptions,
  TwilioEmulator,
} from "./types.js";

/** Fixed so logs and snapshots are identical across runs; clearly not a real account. */
export const DEFAULT_ACCOUNT_SID = "AC0e1a7e5000000000000000000000e1a7";
export const DEFAULT_AUTH_TOKEN = "e1a7e5e1a7e5e1a7e5e1a7e5e1a7e5e1";

const STATE_KEYS: Array<keyof AccountState> = [
  "configuration",
  "conversationServices",
  "addressConfigurations",
  "conversations",
  "participants",
  "messagingServices",
  "phoneNumbers",
  "frontlineUsers",
];

export class Emulator implements TwilioEmulator {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly store: Store;
  private readonly log: RequestLog;
  private readonly faults = new FaultQueue();
  private server: Server | undefined;
  private url = "";

  constructor(options: EmulatorOptions = {}) {
    this.accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
    this.authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
    if (!/^AC[0-9a-f]{32}$/.test(this.accountSid))
      throw new Error(`accountSid must be AC + 32 hex digits, got ${this.accountSid}`);
    this.store = new Store(this.accountSid);
    this.log = new RequestLog(options.logFile ?? (process.env["TWILIO_EMULATOR_LOG"] || undefined));
    if (!options.bare) {
      const service = createConversationService(this.store, "Default Conversations Service");
      this.store.state.configuration.defaultChatServiceSid = service.sid;
    }
  }

  async listen(): Promise<void> {
    const server = createServer(
      createRequestListener({ store: this.store, log: this.log, faults: this.faults, authToken: this.authToken }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return this.url;
  }

  get requests(): readonly RecordedRequest[] {
    return this.log.entries;
  }

  clearRequests(): void {
    this.log.clear();
  }

  requestsMatching(filter?: RequestFilter): RecordedRequest[] {
    return this.log.matching(filter);
  }

  writeCount(filter?: RequestFilter): number {
    return this.log.matching(filter).filter((r) => r.method !== "GET").length;
  }

  injectFault(fault: FaultSpec): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  snapshot(options: SnapshotOptions = {}): string {
    const state = options.dates === false ? withoutDates(this.store.state) : this.store.state;
    return canonicalJson(state);
  }

  restore(snapshot: string): void {
    const parsed = JSON.parse(snapshot) as AccountState;
    const missing = STATE_KEYS.filter((k) => !(k in parsed));
    if (missing.length > 0) throw new Error(`not an emulator snapshot (missing ${missing.join(", ")})`);
    if (!hasDates(parsed))
      throw new Error("cannot restore a snapshot taken with { dates: false }: records lack their dates");
    this.store.state = parsed;
  }

  state(): AccountState {
    return structuredClone(this.store.state);
  }

  addPhoneNumber(e164: string, seed?: PhoneNumberSeed): string {
    return createPhoneNumber(this.store, e164, seed).sid;
  }

  addConversationService(friendlyName: string): string {
    return createConversationService(this.store, friendlyName).sid;
  }

  setConfiguration(configuration: ConfigurationSeed): void {
    updateConfiguration(this.store, configuration);
  }

  setServiceWebhooks(chatServiceSid: string, webhooks: ServiceWebhooksSeed): void {
    updateServiceWebhooks(this.store, getConversationService(this.store, chatServiceSid, chatServiceSid), webhooks);
  }

  addAddressConfiguration(seed: AddressConfigurationSeed): string {
    return createAddressConfiguration(this.store, { ...seed, type: seed.type ?? "sms" }).sid;
  }

  addMessagingService(seed: MessagingServiceSeed): string {
    return createMessagingService(this.store, seed).sid;
  }

  addToSenderPool(messagingServiceSid: string, phoneNumberSid: string): void {
    const service = this.store.state.messagingServices[messagingServiceSid];
    if (!service) throw new Error(`no Messaging Service ${messagingServiceSid}`);
    addToPool(this.store, service, phoneNumberSid);
  }

  addConversation(seed: ConversationSeed = {}): string {
    return createConversation(this.store, seed).sid;
  }

  addParticipant(seed: ParticipantSeed): string {
    const conversation = this.store.state.conversations[seed.conversationSid];
    if (!conversation) throw new Error(`no conversation ${seed.conversationSid}`);
    return addParticipant(this.store, conversation, seed).sid;
  }

  addFrontlineUser(seed: FrontlineUserSeed): string {
    return createFrontlineUser(this.store, seed).sid;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Clients keep connections alive (twilio-node does); without this, close() waits for them.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }
}

/** Every dated record kind must carry its dates, or rendering would silently drop them. */
function hasDates(state: AccountState): boolean {
  const dated = [
    state.conversationServices,
    state.addressConfigurations,
    state.conversations,
    state.participants,
    state.messagingServices,
    state.phoneNumbers,
  ];
  return dated.every((records) =>
    Object.values(records).every((r) => typeof r.dateCreated === "string" && typeof r.dateUpdated === "string"),
  );
}

function withoutDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDates);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "dateCreated" && k !== "dateUpdated")
        .map(([k, v]) => [k, withoutDates(v)]),
    );
  }
  return value;
}
