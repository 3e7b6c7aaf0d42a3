/**
 * Conversations (CH…) and their participants (MB…), under both URL forms: service-scoped
 * `/v1/Services/{IS}/Conversations/...` and account-scoped `/v1/Conversations/...`, which acts on
 * the account's default Conversation Service only.
 */
import { conflict, ErrorCode, invalidParameter, notFound } from "../errors.js";
import { pageV1 } from "../paging.js";
import { created, type Handler, type HandlerContext, noContent, ok, type RouteDefinition } from "../router.js";
import { byCreation, type Conversation, type Participant } from "../state.js";
import type { Store } from "../store.js";
import type { ConversationSeed } from "../types.js";

const HOST = "conversations.twilio.com";
const BASE = `https://${HOST}`;

export function createConversation(store: Store, seed: ConversationSeed): Conversation {
  const chatServiceSid = seed.serviceSid ?? store.state.configuration.defaultChatServiceSid;
  if (!chatServiceSid || !store.state.conversationServices[chatServiceSid]) {
    throw new Error(`no Conversation Service ${chatServiceSid ?? "(no default set)"} to put the conversation in`);
  }
  const now = store.now();
  const conversation: Conversation = {
    sid: store.sid("CH"),
    chatServiceSid,
    messagingServiceSid: seed.messagingServiceSid ?? store.state.configuration.defaultMessagingServiceSid,
    friendlyName: seed.friendlyName ?? null,
    uniqueName: seed.uniqueName ?? null,
    attributes: seed.attributes ?? "{}",
    state: seed.state ?? "active",
    dateCreated: now,
    dateUpdated: now,
  };
  store.state.conversations[conversation.sid] = conversation;
  return conversation;
}

export interface ParticipantInput {
  identity?: string | null;
  address?: string | null;
  proxyAddress?: string | null;
  attributes?: string | null;
  roleSid?: string | null;
}

function checkAttributes(attributes: string | null | undefined): void {
  if (attributes === undefined || attributes === null) return;
  try {
    JSON.parse(attributes);
  } catch {
    // Twilio: "The string value must contain structurally valid JSON" (code unverified: 20001).
    throw invalidParameter(`Invalid parameter Attributes: ${JSON.stringify(attributes)} is not valid JSON`);
  }
}

export function addParticipant(store: Store, conversation: Conversation, input: ParticipantInput): Participant {
  if (!input.identity && !input.address) {
    throw invalidParameter("Either Identity or MessagingBinding.Address must be specified");
  }
  checkAttributes(input.attributes);
  const all = Object.values(store.state.participants);
  if (input.identity && all.some((p) => p.conversationSid === conversation.sid && p.identity === input.identity)) {
    // UNVERIFIED (our belief): HTTP 409 with code 50433 for a duplicate chat identity.
    throw conflict(ErrorCode.ParticipantExists, "Participant already exists");
  }
  if (input.address) {
    // One (address, proxy address) pair may sit in only one conversation that is not closed.
    const clash = all.find((p) => {
      const b = p.messagingBinding;
      const home = store.state.conversations[p.conversationSid];
      return (
        b &&
        b.address === input.address &&
        b.proxyAddress === (input.proxyAddress ?? null) &&
        home &&
        home.state !== "closed"
      );
    });
    if (clash) {
      throw conflict(
        ErrorCode.BindingExists,
        `A binding for this participant and proxy address already exists in Conversation ${clash.conversationSid}`,
      );
    }
  }
  const now = store.now();
  const participant: Participant = {
    sid: store.sid("MB"),
    conversationSid: conversation.sid,
    chatServiceSid: conversation.chatServiceSid,
    identity: input.identity ?? null,
    attributes: input.attributes ?? "{}",
    messagingBinding: input.address
      ? {
          type: input.address.startsWith("whatsapp:") ? "whatsapp" : "sms",
          address: input.address,
          proxyAddress: input.proxyAddress ?? null,
        }
      : null,
    roleSid: input.roleSid ?? null,
    dateCreated: now,
    dateUpdated: now,
  };
  store.state.participants[participant.sid] = participant;
  return participant;
}

/** `{Sid}` may be the CH SID or the conversation's unique name. */
function findConversation(ctx: HandlerContext, scoped: boolean, param: string): Conversation {
  const serviceSid = scoped ? ctx.params["ChatServiceSid"]! : ctx.store.state.configuration.defaultChatServiceSid;
  const key = ctx.params[param]!;
  const found = Object.values(ctx.store.state.conversations).find(
    (c) => c.chatServiceSid === serviceSid && (c.sid === key || (c.uniqueName !== null && c.uniqueName === key)),
  );
  if (!found) throw notFound(ctx.path);
  return found;
}

/** `{Sid}` may be the MB SID or the participant's identity. */
function findParticipant(ctx: HandlerContext, conversation: Conversation): Participant {
  const key = ctx.params["Sid"]!;
  const found = Object.values(ctx.store.state.participants).find(
    (p) => p.conversationSid === conversation.sid && (p.sid === key || p.identity === key),
  );
  if (!found) throw notFound(ctx.path);
  return found;
}

function conversationUrl(c: Conversation, scoped: boolean): string {
  return scoped
    ? `${BASE}/v1/Services/${c.chatServiceSid}/Conversations/${c.sid}`
    : `${BASE}/v1/Conversations/${c.sid}`;
}

function renderConversation(store: Store, c: Conversation, scoped: boolean): unknown {
  const url = conversationUrl(c, scoped);
  return {
    sid: c.sid,
    account_sid: store.accountSid,
    chat_service_sid: c.chatServiceSid,
    messaging_service_sid: c.messagingServiceSid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: c.dateCreated,
    date_updated: c.dateUpdated,
    timers: {},
    bindings: {},
    url,
    links: { participants: `${url}/Participants`, messages: `${url}/Messages`, webhooks: `${url}/Webhooks` },
  };
}

function renderParticipant(store: Store, c: Conversation, p: Participant, scoped: boolean): unknown {
  const b = p.messagingBinding;
  return {
    account_sid: store.accountSid,
    ...(scoped ? { chat_service_sid: p.chatServiceSid } : {}),
    conversation_sid: p.conversationSid,
    sid: p.sid,
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: b ? { type: b.type, address: b.address, proxy_address: b.proxyAddress } : null,
    role_sid: p.roleSid,
    date_created: p.dateCreated,
    date_updated: p.dateUpdated,
    url: `${conversationUrl(c, scoped)}/Participants/${p.sid}`,
    last_read_message_index: null,
    last_read_timestamp: null,
  };
}

function routesFor(scoped: boolean): RouteDefinition[] {
  const prefix = scoped ? "/v1/Services/{ChatServiceSid}/Conversations" : "/v1/Conversations";
  const route = (method: RouteDefinition["method"], suffix: string, handler: Handler): RouteDefinition => ({
    product: "conversations",
    method,
    template: prefix + suffix,
    handler,
  });
  const conversationOf = (ctx: HandlerContext) => findConversation(ctx, scoped, "ConversationSid");
  return [
    route("GET", "/{Sid}", (ctx) => ok(renderConversation(ctx.store, findConversation(ctx, scoped, "Sid"), scoped))),
    route("POST", "/{ConversationSid}/Participants", (ctx) => {
      const c = conversationOf(ctx);
      const f = ctx.form;
      const p = addParticipant(ctx.store, c, {
        identity: f.string("Identity"),
        address: f.string("MessagingBinding.Address"),
        proxyAddress: f.string("MessagingBinding.ProxyAddress"),
        attributes: f.string("Attributes"),
        roleSid: f.string("RoleSid"),
      });
      return created(renderParticipant(ctx.store, c, p, scoped));
    }),
    route("GET", "/{ConversationSid}/Participants", (ctx) => {
      const c = conversationOf(ctx);
      const items = byCreation(ctx.store.state.participants).filter((p) => p.conversationSid === c.sid);
      return ok(
        pageV1(HOST, {
          path: ctx.path,
          key: "participants",
          items,
          query: ctx.query,
          render: (p) => renderParticipant(ctx.store, c, p, scoped),
        }),
      );
    }),
    route("GET", "/{ConversationSid}/Participants/{Sid}", (ctx) => {
      const c = conversationOf(ctx);
      return ok(renderParticipant(ctx.store, c, findParticipant(ctx, c), scoped));
    }),
    route("POST", "/{ConversationSid}/Participants/{Sid}", (ctx) => {
      const c = conversationOf(ctx);
      const p = findParticipant(ctx, c);
      const f = ctx.form;
      const attributes = f.string("Attributes");
      checkAttributes(attributes);
      const before = JSON.stringify(p);
      if (attributes !== undefined) p.attributes = attributes;
      const identity = f.nullable("Identity");
      if (identity !== undefined) p.identity = identity;
      const roleSid = f.nullable("RoleSid");
      if (roleSid !== undefined) p.roleSid = roleSid;
      // Read-horizon and date fields are accepted (the spec allows them) but not modelled.
      if (JSON.stringify(p) !== before) p.dateUpdated = ctx.store.now();
      return ok(renderParticipant(ctx.store, c, p, scoped));
    }),
    route("DELETE", "/{ConversationSid}/Participants/{Sid}", (ctx) => {
      const c = conversationOf(ctx);
      delete ctx.store.state.participants[findParticipant(ctx, c).sid];
      return noContent();
    }),
  ];
}

export const participantRoutes: RouteDefinition[] = [...routesFor(true), ...routesFor(false)];
