/**
 * The emulated account as plain JSON-able data, so a snapshot is just its canonical serialization
 * and a restore is just a parse. Records are keyed by SID; lists are ordered by creation date.
 * `null` means "unset", as Twilio renders it.
 */

export interface ConversationsConfiguration {
  defaultChatServiceSid: string | null;
  defaultMessagingServiceSid: string | null;
  defaultInactiveTimer: string | null;
  defaultClosedTimer: string | null;
}

export interface ServiceWebhooks {
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  filters: string[] | null;
  method: string | null;
}

export interface ConversationService {
  sid: string;
  friendlyName: string;
  webhooks: ServiceWebhooks;
  dateCreated: string;
  dateUpdated: string;
}

export interface AutoCreation {
  enabled: boolean;
  type: string | null;
  conversationServiceSid: string | null;
  webhookUrl: string | null;
  /** Stored uppercase: Twilio takes `get|post` but answers `GET|POST`. */
  webhookMethod: string | null;
  webhookFilters: string[] | null;
  studioFlowSid: string | null;
  studioRetryCount: number | null;
}

export interface AddressConfiguration {
  sid: string;
  type: string;
  address: string;
  friendlyName: string | null;
  addressCountry: string | null;
  autoCreation: AutoCreation;
  dateCreated: string;
  dateUpdated: string;
}

export interface Conversation {
  sid: string;
  chatServiceSid: string;
  messagingServiceSid: string | null;
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  state: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface Participant {
  sid: string;
  conversationSid: string;
  chatServiceSid: string;
  identity: string | null;
  attributes: string;
  messagingBinding: { type: string; address: string; proxyAddress: string | null } | null;
  roleSid: string | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface SenderPoolEntry {
  dateCreated: string;
  dateUpdated: string;
}

export interface MessagingService {
  sid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  inboundMethod: string;
  fallbackUrl: string | null;
  fallbackMethod: string;
  statusCallback: string | null;
  stickySender: boolean;
  mmsConverter: boolean;
  smartEncoding: boolean;
  scanMessageContent: string;
  fallbackToLongCode: boolean;
  areaCodeGeomatch: boolean;
  validityPeriod: number;
  synchronousValidation: boolean;
  usecase: string;
  useInboundWebhookOnNumber: boolean;
  /** Keyed by PN SID: the pool entry's own SID is the number's. */
  phoneNumbers: Record<string, SenderPoolEntry>;
  dateCreated: string;
  dateUpdated: string;
}

export interface IncomingPhoneNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  countryCode: string;
  capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
  smsUrl: string;
  smsMethod: string;
  voiceUrl: string | null;
  voiceMethod: string;
  origin: string;
  beta: boolean;
  dateCreated: string;
  dateUpdated: string;
}

export interface FrontlineUser {
  sid: string;
  identity: string;
  friendlyName: string | null;
  avatar: string | null;
  state: string;
  isAvailable: boolean | null;
}

export interface AccountState {
  configuration: ConversationsConfiguration;
  conversationServices: Record<string, ConversationService>;
  addressConfigurations: Record<string, AddressConfiguration>;
  conversations: Record<string, Conversation>;
  participants: Record<string, Participant>;
  messagingServices: Record<string, MessagingService>;
  phoneNumbers: Record<string, IncomingPhoneNumber>;
  frontlineUsers: Record<string, FrontlineUser>;
}

export function emptyAccount(): AccountState {
  return {
    configuration: {
      defaultChatServiceSid: null,
      defaultMessagingServiceSid: null,
      defaultInactiveTimer: null,
      defaultClosedTimer: null,
    },
    conversationServices: {},
    addressConfigurations: {},
    conversations: {},
    participants: {},
    messagingServices: {},
    phoneNumbers: {},
    frontlineUsers: {},
  };
}

/** Twilio lists oldest first; ties (same second) fall back to the SID so order is total. */
export function byCreation<T extends { sid: string; dateCreated?: string }>(records: Record<string, T>): T[] {
  return Object.values(records).sort(
    (a, b) => (a.dateCreated ?? "").localeCompare(b.dateCreated ?? "") || a.sid.localeCompare(b.sid),
  );
}
