/**
 * Conversations Address Configurations (IG…): per-address inbound autocreation.
 * `{Sid}` in the URL may be the SID or the address itself, so there is one configuration per address.
 */
import { conflict, ErrorCode, invalidParameter, notFound } from "../errors.js";
import type { Fields } from "../form.js";
import { pageV1 } from "../paging.js";
import { created, type HandlerContext, noContent, ok, type RouteDefinition } from "../router.js";
import { type AddressConfiguration, type AutoCreation, byCreation } from "../state.js";
import type { Store } from "../store.js";

const HOST = "conversations.twilio.com";
const BASE = `https://${HOST}`;

export interface AddressConfigurationInput {
  type: string;
  address: string;
  friendlyName?: string | null;
  addressCountry?: string | null;
  autoCreation?: Partial<AutoCreation>;
}

function checkReferences(store: Store, a: { type: string; address: string }, auto: Partial<AutoCreation>): void {
  // Twilio's docs: "The unique address must be a single address ... that belongs to your Twilio
  // Account". The code it answers with is not documented (unverified: 20001).
  if (a.type === "sms" && !Object.values(store.state.phoneNumbers).some((n) => n.phoneNumber === a.address)) {
    throw invalidParameter(`Invalid parameter Address: ${a.address} is not a phone number of this account`);
  }
  if (auto.conversationServiceSid && !store.state.conversationServices[auto.conversationServiceSid]) {
    throw invalidParameter(
      `Invalid parameter AutoCreation.ConversationServiceSid: ${auto.conversationServiceSid} is not a Conversation Service of this account`,
    );
  }
}

export function createAddressConfiguration(store: Store, input: AddressConfigurationInput): AddressConfiguration {
  const existing = Object.values(store.state.addressConfigurations).find((c) => c.address === input.address);
  if (existing) {
    // UNVERIFIED: the reference documents no code for this; see ErrorCode.AddressConfigurationExists.
    throw conflict(
      ErrorCode.AddressConfigurationExists,
      `An address configuration for ${input.address} already exists: ${existing.sid}`,
    );
  }
  const auto = input.autoCreation ?? {};
  checkReferences(store, input, auto);
  const now = store.now();
  const config: AddressConfiguration = {
    sid: store.sid("IG"),
    type: input.type,
    address: input.address,
    friendlyName: input.friendlyName ?? null,
    addressCountry: input.addressCountry ?? null,
    autoCreation: {
      enabled: auto.enabled ?? false,
      type: auto.type ?? null,
      conversationServiceSid: auto.conversationServiceSid ?? null,
      webhookUrl: auto.webhookUrl ?? null,
      webhookMethod: auto.webhookMethod ? auto.webhookMethod.toUpperCase() : null,
      webhookFilters: auto.webhookFilters ?? null,
      studioFlowSid: auto.studioFlowSid ?? null,
      studioRetryCount: auto.studioRetryCount ?? null,
    },
    dateCreated: now,
    dateUpdated: now,
  };
  store.state.addressConfigurations[config.sid] = config;
  return config;
}

function find(store: Store, sidOrAddress: string, path: string): AddressConfiguration {
  const all = store.state.addressConfigurations;
  const config = all[sidOrAddress] ?? Object.values(all).find((c) => c.address === sidOrAddress);
  if (!config) throw notFound(path);
  return config;
}

function autoCreationPatch(f: Fields): Partial<AutoCreation> {
  const method = f.nullable("AutoCreation.WebhookMethod");
  const patch: Partial<AutoCreation> = {
    enabled: f.bool("AutoCreation.Enabled"),
    type: f.nullable("AutoCreation.Type"),
    conversationServiceSid: f.nullable("AutoCreation.ConversationServiceSid"),
    webhookUrl: f.nullable("AutoCreation.WebhookUrl"),
    webhookMethod: method ? method.toUpperCase() : method,
    webhookFilters: f.list("AutoCreation.WebhookFilters"),
    studioFlowSid: f.nullable("AutoCreation.StudioFlowSid"),
    studioRetryCount: f.int("AutoCreation.StudioRetryCount"),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<AutoCreation>;
}

function update(store: Store, config: AddressConfiguration, f: Fields): void {
  const patch = autoCreationPatch(f);
  checkReferences(store, { type: "", address: config.address }, patch);
  const before = JSON.stringify(config);
  const friendlyName = f.nullable("FriendlyName");
  if (friendlyName !== undefined) config.friendlyName = friendlyName;
  Object.assign(config.autoCreation, patch);
  if (JSON.stringify(config) !== before) config.dateUpdated = store.now();
}

/**
 * Follows the spec examples: `auto_creation` carries the webhook fields only for type `webhook`
 * and the studio fields only for type `studio`, so a reader must treat absent as unset.
 */
function renderAutoCreation(a: AutoCreation): Record<string, unknown> {
  const out: Record<string, unknown> = { enabled: a.enabled, type: a.type };
  if (a.conversationServiceSid !== null) out["conversation_service_sid"] = a.conversationServiceSid;
  if (a.type === "webhook") {
    out["webhook_url"] = a.webhookUrl;
    out["webhook_method"] = a.webhookMethod;
    out["webhook_filters"] = a.webhookFilters;
  }
  if (a.type === "studio") {
    out["studio_flow_sid"] = a.studioFlowSid;
    out["studio_retry_count"] = a.studioRetryCount;
  }
  return out;
}

function render(store: Store, c: AddressConfiguration): unknown {
  return {
    sid: c.sid,
    account_sid: store.accountSid,
    type: c.type,
    address: c.address,
    friendly_name: c.friendlyName,
    address_country: c.addressCountry,
    auto_creation: renderAutoCreation(c.autoCreation),
    date_created: c.dateCreated,
    date_updated: c.dateUpdated,
    url: `${BASE}/v1/Configuration/Addresses/${c.sid}`,
  };
}

const target = (ctx: HandlerContext) => find(ctx.store, ctx.params["Sid"]!, ctx.path);

export const addressConfigurationRoutes: RouteDefinition[] = [
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Configuration/Addresses",
    handler: (ctx) => {
      const type = ctx.query.string("Type");
      const items = byCreation(ctx.store.state.addressConfigurations).filter(
        (c) => type === undefined || c.type === type,
      );
      return ok(
        pageV1(HOST, {
          path: ctx.path,
          key: "address_configurations",
          items,
          query: ctx.query,
          filters: type === undefined ? [] : [["Type", type]],
          render: (c) => render(ctx.store, c),
        }),
      );
    },
  },
  {
    product: "conversations",
    method: "POST",
    template: "/v1/Configuration/Addresses",
    handler: (ctx) => {
      const f = ctx.form;
      const config = createAddressConfiguration(ctx.store, {
        type: f.string("Type")!,
        address: f.string("Address")!,
        friendlyName: f.nullable("FriendlyName"),
        addressCountry: f.nullable("AddressCountry"),
        autoCreation: autoCreationPatch(f),
      });
      return created(render(ctx.store, config));
    },
  },
  {
    product: "conversations",
    method: "GET",
    template: "/v1/Configuration/Addresses/{Sid}",
    handler: (ctx) => ok(render(ctx.store, target(ctx))),
  },
  {
    product: "conversations",
    method: "POST",
    template: "/v1/Configuration/Addresses/{Sid}",
    handler: (ctx) => {
      const config = target(ctx);
      update(ctx.store, config, ctx.form);
      return ok(render(ctx.store, config));
    },
  },
  {
    product: "conversations",
    method: "DELETE",
    template: "/v1/Configuration/Addresses/{Sid}",
    handler: (ctx) => {
      delete ctx.store.state.addressConfigurations[target(ctx).sid];
      return noContent();
    },
  },
];
