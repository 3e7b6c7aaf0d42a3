/**
 * Conversations account configuration (`/v1/Configuration`), Conversation Services (IS…) and
 * their webhook singleton (`/v1/Services/{IS}/Configuration/Webhooks`).
 */
import { invalidParameter, notFound } from "../errors.js";
import { pageV1 } from "../paging.js";
import { created, type HandlerContext, noContent, ok, type RouteDefinition } from "../router.js";
import { byCreation, type ConversationService, type ConversationsConfiguration } from "../state.js";
import type { Store } from "../store.js";

const HOST = "conversations.twilio.com";
const BASE = `https://${HOST}`;

/** The service-level filter values the spec's description lists (the schema says only "string"). */
export const SERVICE_WEBHOOK_FILTERS = new Set([
  "onParticipantAdd",
  "onParticipantAdded",
  "onDeliveryUpdated",
  "onConversationUpdated",
  "onConversationRemove",
  "onParticipantRemove",
  "onConversationUpdate",
  "onMessageAdd",
  "onMessageRemoved",
  "onParticipantUpdated",
  "onConversationAdded",
  "onMessageAdded",
  "onConversationAdd",
  "onConversationRemoved",
  "onParticipantUpdate",
  "onMessageRemove",
  "onMessageUpdated",
  "onParticipantRemoved",
  "onMessageUpdate",
  "onConversationStateUpdated",
]);

export function createConversationService(store: Store, friendlyName: string): ConversationService {
  const now = store.now();
  const service: ConversationService = {
    sid: store.sid("IS"),
    friendlyName,
    webhooks: { preWebhookUrl: null, postWebhookUrl: null, filters: null, method: null },
    dateCreated: now,
    dateUpdated: now,
  };
  store.state.conversationServices[service.sid] = service;
  return service;
}

export function getConversationService(store: Store, sid: string, path: string): ConversationService {
  const service = store.state.conversationServices[sid];
  if (!service) throw notFound(path);
  return service;
}

/** Removes the service with everything nested in it, as Twilio's DELETE does. */
export function deleteConversationService(store: Store, sid: string): void {
  const s = store.state;
  delete s.conversationServices[sid];
  for (const c of Object.values(s.conversations)) if (c.chatServiceSid === sid) delete s.conversations[c.sid];
  for (const p of Object.values(s.participants)) if (p.chatServiceSid === sid) delete s.participants[p.sid];
  // Assumption (unverified): the account default does not keep pointing at a deleted service.
  if (s.configuration.defaultChatServiceSid === sid) s.configuration.defaultChatServiceSid = null;
}

export function updateConfiguration(store: Store, patch: Partial<ConversationsConfiguration>): void {
  const s = store.state;
  // Assumption (unverified code): Twilio refuses defaults that name no resource of the account.
  if (patch.defaultChatServiceSid && !s.conversationServices[patch.defaultChatServiceSid]) {
    throw invalidParameter(
      `Invalid parameter DefaultChatServiceSid: ${patch.defaultChatServiceSid} is not a Conversation Service of this account`,
    );
  }
  if (patch.defaultMessagingServiceSid && !s.messagingServices[patch.defaultMessagingServiceSid]) {
    throw invalidParameter(
      `Invalid parameter DefaultMessagingServiceSid: ${patch.defaultMessagingServiceSid} is not a Messaging Service of this account`,
    );
  }
  for (const [k, v] of Object.entries(patch) as Array<[keyof ConversationsConfiguration, string | null | undefined]>) {
    if (v !== undefined) s.configuration[k] = v;
  }
}

export function updateServiceWebhooks(
  store: Store,
  service: ConversationService,
  patch: Partial<ConversationService["webhooks"]>,
): void {
  if (patch.filters) {
    const bad = patch.filters.filter((f) => !SERVICE_WEBHOOK_FILTERS.has(f));
    if (bad.length > 0) throw invalidParameter(`Invalid parameter Filters: ${bad.join(", ")} is not a webhook filter`);
  }
  if (patch.method) {
    const method = patch.method.toUpperCase();
    if (method !== "GET" && method !== "POST")
      throw invalidParameter(`Invalid parameter Method: ${JSON.stringify(patch.method)} is not one of GET, POST`);
    patch = { ...patch, method };
  }
  let changed = false;
  for (const [k, v] of Object.entries(patch) as Array<[keyof ConversationService["webhooks"], never]>) {
    if (v === undefined || JSON.stringify(service.webhooks[k]) === JSON.stringify(v)) continue;
    service.webhooks[k] = v;
    changed = true;
  }
  if (changed) service.dateUpdated = store.now();
}

function renderConfiguration(store: Store): unknown {
  const c = store.state.configuration;
  return {
    account_sid: store.accountSid,
    default_chat_service_sid: c.defaultChatServiceSid,
    default_messaging_service_sid: c.defaultMessagingServiceSid,
    default_inactive_timer: c.defaultInactiveTimer,
    default_closed_timer: c.defaultClosedTimer,
    url: `${BASE}/v1/Configuration`,
    links: {
      service: c.defaultChatServiceSid ? `${BASE}/v1/Services/${c.defaultChatServiceSid}/Configuration` : null,
      webhooks: `${BASE}/v1/Configuration/Webhooks`,
    },
  };
}

function renderService(store: Store, s: ConversationService): unknown {
  const url = `${BASE}/v1/Services/${s.sid}`;
  return {
    sid: s.sid,
    account_sid: store.accountSid,
    friendly_name: s.friendlyName,
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    url,
    links: {
      conversations: `${url}/Conversations`,
      users: `${url}/Users`,
      roles: `${url}/Roles`,
      bindings: `${url}/Bindings`,
      configuration: `${url}/Configuration`,
      participant_conversations: `${url}/ParticipantConversations`,
      conversation_with_participants: `${url}/ConversationWithParticipants`,
    },
  };
}

function renderWebhooks(store: Store, s: ConversationService): unknown {
  return {
    account_sid: store.accountSid,
    chat_service_sid: s.sid,
    pre_webhook_url: s.webhooks.preWebhookUrl,
    post_webhook_url: s.webhooks.postWebhookUrl,
    filters: s.webhooks.filters,
    method: s.webhooks.method,
    url: `${BASE}/v1/Services/${s.sid}/Configuration/Webhooks`,
  };
}

const serviceOf = (ctx: HandlerContext, param: string) =>
  getConversationService(ctx.store, ctx.params[param]!, ctx.path);

export const conversationServiceRoutes: RouteDefinition[] = [
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Configuration",
    handler: (ctx) => ok(renderConfiguration(ctx.store)),
  },
  {
    product: "conversations",
    method: "POST",
    template: "/v1/Configuration",
    handler: (ctx) => {
      const f = ctx.form;
      updateConfiguration(ctx.store, {
        defaultChatServiceSid: f.nullable("DefaultChatServiceSid"),
        defaultMessagingServiceSid: f.nullable("DefaultMessagingServiceSid"),
        defaultInactiveTimer: f.nullable("DefaultInactiveTimer"),
        defaultClosedTimer: f.nullable("DefaultClosedTimer"),
      });
      return ok(renderConfiguration(ctx.store));
    },
  },
  {
    product: "conversations",
    method: "POST",
    template: "/v1/Services",
    handler: (ctx) =>
      created(renderService(ctx.store, createConversationService(ctx.store, ctx.form.string("FriendlyName") ?? ""))),
  },
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Services",
    handler: (ctx) =>
      ok(
        pageV1(HOST, {
          path: ctx.path,
          key: "services",
          items: byCreation(ctx.store.state.conversationServices),
          query: ctx.query,
          render: (s) => renderService(ctx.store, s),
        }),
      ),
  },
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Services/{Sid}",
    handler: (ctx) => ok(renderService(ctx.store, serviceOf(ctx, "Sid"))),
  },
  {
    product: "conversations",
    method: "DELETE",
    template: "/v1/Services/{Sid}",
    handler: (ctx) => {
      deleteConversationService(ctx.store, serviceOf(ctx, "Sid").sid);
      return noContent();
    },
  },
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Services/{ChatServiceSid}/Configuration/Webhooks",
    handler: (ctx) => ok(renderWebhooks(ctx.store, serviceOf(ctx, "ChatServiceSid"))),
  },
  {
    product: "conversations",
    method: "POST",
    template: "/v1/Services/{ChatServiceSid}/Configuration/Webhooks",
    handler: (ctx) => {
      const service = serviceOf(ctx, "ChatServiceSid");
      const f = ctx.form;
      updateServiceWebhooks(ctx.store, service, {
        preWebhookUrl: f.nullable("PreWebhookUrl"),
        postWebhookUrl: f.nullable("PostWebhookUrl"),
        filters: f.list("Filters"),
        method: f.nullable("Method"),
      });
      return ok(renderWebhooks(ctx.store, service));
    },
  },
];
