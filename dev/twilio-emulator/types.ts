/**
 * The emulator's public contract. Other suites code against these names, so they change only by
 * adding optional members.
 */
import type { AccountState } from "./state.js";

export interface EmulatorOptions {
  /** Defaults to {@link DEFAULT_ACCOUNT_SID}. */
  accountSid?: string;
  /** Defaults to {@link DEFAULT_AUTH_TOKEN}. */
  authToken?: string;
  /** Appends every recorded request as a JSON line here; falls back to `TWILIO_EMULATOR_LOG`. */
  logFile?: string;
  /**
   * A real account always has a "Default Conversations Service" set as its default chat service,
   * so the emulator starts that way. `true` starts with no service and an empty configuration.
   */
  bare?: boolean;
}

/** The host-to-path-prefix mapping: `https://<product>.twilio.com/x` arrives as `<baseUrl>/<product>/x`. */
export type Product = "conversations" | "messaging" | "api" | "frontline-api";

/** Form and query values as received: every key maps to all of its values, in order. */
export type MultiValue = Record<string, string[]>;

/** A request as logged: single values as strings, repeated keys as arrays. */
export interface RecordedRequest {
  method: string;
  /** The real Twilio host the request was meant for, e.g. `conversations.twilio.com`. */
  host: string;
  /** The path on that host, without the query string, e.g. `/v1/Configuration`. */
  path: string;
  query: Record<string, string | string[]>;
  form: Record<string, string | string[]>;
  /** The HTTP status the emulator answered with (faults included); 0 when it dropped the connection instead. */
  status: number;
  /**
   * Set when an `afterWrite` fault answered: the request was processed (a write landed, or failed
   * with `landedStatus`) although the client saw the fault. Absent for normal answers.
   */
  landedStatus?: number;
}

export interface FaultSpec {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Prefix of, or pattern over, the emulator path, e.g. `/conversations/v1/Configuration`. */
  path: string | RegExp;
  /** HTTP status to answer with: 429, 500, 503, ... Required unless `drop`. */
  status?: number;
  /**
   * Process the request first (the write lands, as on a real server that then fails), and only
   * then answer with the fault: the answer to a write that happened is lost.
   */
  afterWrite?: boolean;
  /** Close the connection without any answer instead of answering `status` (with `afterWrite`: after the write). */
  drop?: boolean;
  /** How many matching requests get the fault; defaults to 1. */
  count?: number;
  /** Sets `Retry-After` (seconds) on the fault answer. */
  retryAfterSeconds?: number;
  /** Twilio error code in the body; defaults to 20429 / 20500 / 20503 / 20000 + status. */
  code?: number;
}

export interface RequestFilter {
  method?: string;
  /** Real host, e.g. `messaging.twilio.com`. */
  host?: string;
  /** Prefix of, or pattern over, the path on the real host, e.g. `/v1/Services`. */
  path?: string | RegExp;
}

export interface SnapshotOptions {
  /**
   * Include `date_created`/`date_updated`. Default true: Twilio moves `date_updated` on every
   * real change, so a restore-by-update is visible; pass false to compare values only.
   */
  dates?: boolean;
}

export interface PhoneNumberSeed {
  friendlyName?: string;
  capabilities?: { voice?: boolean; sms?: boolean; mms?: boolean; fax?: boolean };
  smsUrl?: string;
  voiceUrl?: string;
  origin?: "twilio" | "hosted";
  beta?: boolean;
}

export interface ConfigurationSeed {
  defaultChatServiceSid?: string | null;
  defaultMessagingServiceSid?: string | null;
  defaultInactiveTimer?: string | null;
  defaultClosedTimer?: string | null;
}

export interface ServiceWebhooksSeed {
  preWebhookUrl?: string | null;
  postWebhookUrl?: string | null;
  filters?: string[] | null;
  method?: "GET" | "POST" | null;
}

export interface AddressConfigurationSeed {
  type?: string;
  address: string;
  friendlyName?: string | null;
  addressCountry?: string | null;
  autoCreation?: {
    enabled?: boolean;
    type?: "webhook" | "studio" | "default";
    conversationServiceSid?: string | null;
    webhookUrl?: string | null;
    webhookMethod?: "GET" | "POST" | null;
    webhookFilters?: string[] | null;
    studioFlowSid?: string | null;
    studioRetryCount?: number | null;
  };
}

export interface MessagingServiceSeed {
  friendlyName: string;
  inboundRequestUrl?: string | null;
  inboundMethod?: "GET" | "POST";
  fallbackUrl?: string | null;
  statusCallback?: string | null;
  stickySender?: boolean;
  useInboundWebhookOnNumber?: boolean;
  usecase?: string;
}

export interface ConversationSeed {
  /** Defaults to the configuration's default chat service. */
  serviceSid?: string;
  friendlyName?: string | null;
  uniqueName?: string | null;
  attributes?: string;
  messagingServiceSid?: string | null;
  state?: "active" | "inactive" | "closed" | "initializing";
}

export interface ParticipantSeed {
  conversationSid: string;
  identity?: string;
  address?: string;
  proxyAddress?: string;
  attributes?: string;
}

export interface FrontlineUserSeed {
  identity: string;
  friendlyName?: string | null;
  avatar?: string | null;
  state?: "active" | "deactivated";
  isAvailable?: boolean | null;
}

export interface TwilioEmulator {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Requests that passed auth and spec validation, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Recorded requests matching the filter (all when omitted). */
  requestsMatching(filter?: RequestFilter): RecordedRequest[];
  /** Recorded requests that could change state: every method but GET. */
  writeCount(filter?: RequestFilter): number;
  injectFault(fault: FaultSpec): void;
  /** Drops faults that have not fired yet. */
  clearFaults(): void;

  /** Canonical JSON (sorted keys) of the whole account. */
  snapshot(options?: SnapshotOptions): string;
  /** Replaces the account with one taken by {@link snapshot} (dates included). */
  restore(snapshot: string): void;
  /** A deep copy of the account, for assertions. */
  state(): AccountState;

  addPhoneNumber(e164: string, seed?: PhoneNumberSeed): string;
  addConversationService(friendlyName: string): string;
  setConfiguration(configuration: ConfigurationSeed): void;
  setServiceWebhooks(chatServiceSid: string, webhooks: ServiceWebhooksSeed): void;
  addAddressConfiguration(seed: AddressConfigurationSeed): string;
  addMessagingService(seed: MessagingServiceSeed): string;
  addToSenderPool(messagingServiceSid: string, phoneNumberSid: string): void;
  addConversation(seed?: ConversationSeed): string;
  addParticipant(seed: ParticipantSeed): string;
  addFrontlineUser(seed: FrontlineUserSeed): string;

  close(): Promise<void>;
}
