/**
 * Messaging Services (MG…) and their sender pools (`/v1/Services/{MG}/PhoneNumbers`). A number
 * can sit in one pool only; the pool entry's SID is the number's own PN SID.
 */
import { conflict, ErrorCode, notFound, TwilioError } from "../errors.js";
import type { Fields } from "../form.js";
import { pageV1 } from "../paging.js";
import { created, type HandlerContext, noContent, ok, type RouteDefinition } from "../router.js";
import { byCreation, type IncomingPhoneNumber, type MessagingService } from "../state.js";
import type { Store } from "../store.js";
import type { MessagingServiceSeed } from "../types.js";

const HOST = "messaging.twilio.com";
const BASE = `https://${HOST}`;

/**
 * What a service created with only a FriendlyName looks like. Assumed from the spec's
 * descriptions (methods POST, validity 36000 s) and the Console's defaults for the booleans;
 * not checked against a live account.
 */
function defaults(friendlyName: string): Omit<MessagingService, "sid" | "dateCreated" | "dateUpdated"> {
  return {
    friendlyName,
    inboundRequestUrl: null,
    inboundMethod: "POST",
    fallbackUrl: null,
    fallbackMethod: "POST",
    statusCallback: null,
    stickySender: true,
    mmsConverter: true,
    smartEncoding: true,
    scanMessageContent: "inherit",
    fallbackToLongCode: true,
    areaCodeGeomatch: true,
    validityPeriod: 36000,
    synchronousValidation: false,
    usecase: "undeclared",
    useInboundWebhookOnNumber: false,
    phoneNumbers: {},
  };
}

export function createMessagingService(store: Store, seed: MessagingServiceSeed): MessagingService {
  const now = store.now();
  const service: MessagingService = {
    sid: store.sid("MG"),
    ...defaults(seed.friendlyName),
    dateCreated: now,
    dateUpdated: now,
  };
  const { friendlyName: _name, ...rest } = seed;
  for (const [k, v] of Object.entries(rest))
    if (v !== undefined) (service as unknown as Record<string, unknown>)[k] = v;
  store.state.messagingServices[service.sid] = service;
  return service;
}

/** Form parameter -> field, for create and update (same parameter list). */
const FIELDS: Array<[string, keyof MessagingService, "string" | "nullable" | "bool" | "int"]> = [
  ["FriendlyName", "friendlyName", "string"],
  ["InboundRequestUrl", "inboundRequestUrl", "nullable"],
  ["InboundMethod", "inboundMethod", "string"],
  ["FallbackUrl", "fallbackUrl", "nullable"],
  ["FallbackMethod", "fallbackMethod", "string"],
  ["StatusCallback", "statusCallback", "nullable"],
  ["StickySender", "stickySender", "bool"],
  ["MmsConverter", "mmsConverter", "bool"],
  ["SmartEncoding", "smartEncoding", "bool"],
  ["ScanMessageContent", "scanMessageContent", "string"],
  ["FallbackToLongCode", "fallbackToLongCode", "bool"],
  ["AreaCodeGeomatch", "areaCodeGeomatch", "bool"],
  ["ValidityPeriod", "validityPeriod", "int"],
  ["SynchronousValidation", "synchronousValidation", "bool"],
  ["Usecase", "usecase", "string"],
  ["UseInboundWebhookOnNumber", "useInboundWebhookOnNumber", "bool"],
];

/** `touch` is false on create, where the form is part of the initial state, not a change. */
function applyForm(store: Store, service: MessagingService, f: Fields, touch: boolean): void {
  const before = JSON.stringify(service);
  const target = service as unknown as Record<string, unknown>;
  for (const [param, field, kind] of FIELDS) {
    const value =
      kind === "bool"
        ? f.bool(param)
        : kind === "int"
          ? f.int(param)
          : kind === "nullable"
            ? f.nullable(param)
            : f.string(param);
    if (value !== undefined) target[field] = value;
  }
  if (touch && JSON.stringify(service) !== before) service.dateUpdated = store.now();
}

function getService(store: Store, sid: string, path: string): MessagingService {
  const service = store.state.messagingServices[sid];
  if (!service) throw notFound(path);
  return service;
}

export function deleteMessagingService(store: Store, sid: string): void {
  delete store.state.messagingServices[sid];
  // Assumption (unverified): the Conversations default does not keep pointing at a deleted service.
  if (store.state.configuration.defaultMessagingServiceSid === sid)
    store.state.configuration.defaultMessagingServiceSid = null;
}

/** Adds a number to a pool with Twilio's conflict codes: 21710 same service, 21712 another one. */
export function addToPool(store: Store, service: MessagingService, phoneNumberSid: string): IncomingPhoneNumber {
  const number = store.state.phoneNumbers[phoneNumberSid];
  if (!number) {
    // Code 21421 ("PhoneNumber is invalid") is our best guess for a PN SID the account lacks.
    throw new TwilioError(
      400,
      ErrorCode.InvalidPhoneNumberSid,
      `PhoneNumberSid ${phoneNumberSid} is not a phone number of this account`,
    );
  }
  if (service.phoneNumbers[phoneNumberSid]) {
    throw conflict(
      ErrorCode.AlreadyInThisMessagingService,
      "Phone Number or Short Code is already in the Messaging Service.",
    );
  }
  if (Object.values(store.state.messagingServices).some((s) => s.phoneNumbers[phoneNumberSid])) {
    // Twilio's message does not say which service holds the number; callers must search for it.
    throw conflict(
      ErrorCode.InAnotherMessagingService,
      "Phone Number or Short Code is associated with another Messaging Service.",
    );
  }
  const now = store.now();
  service.phoneNumbers[phoneNumberSid] = { dateCreated: now, dateUpdated: now };
  return number;
}

function renderService(store: Store, s: MessagingService): unknown {
  const url = `${BASE}/v1/Services/${s.sid}`;
  return {
    account_sid: store.accountSid,
    sid: s.sid,
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    friendly_name: s.friendlyName,
    inbound_request_url: s.inboundRequestUrl,
    inbound_method: s.inboundMethod,
    fallback_url: s.fallbackUrl,
    fallback_method: s.fallbackMethod,
    status_callback: s.statusCallback,
    sticky_sender: s.stickySender,
    mms_converter: s.mmsConverter,
    smart_encoding: s.smartEncoding,
    fallback_to_long_code: s.fallbackToLongCode,
    area_code_geomatch: s.areaCodeGeomatch,
    validity_period: s.validityPeriod,
    scan_message_content: s.scanMessageContent,
    synchronous_validation: s.synchronousValidation,
    usecase: s.usecase,
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: s.useInboundWebhookOnNumber,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
      destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    url,
  };
}

function renderPoolEntry(store: Store, service: MessagingService, n: IncomingPhoneNumber): unknown {
  const entry = service.phoneNumbers[n.sid]!;
  const c = n.capabilities;
  return {
    account_sid: store.accountSid,
    service_sid: service.sid,
    sid: n.sid,
    date_created: entry.dateCreated,
    date_updated: entry.dateUpdated,
    phone_number: n.phoneNumber,
    country_code: n.countryCode,
    capabilities: [c.voice && "Voice", c.sms && "SMS", c.mms && "MMS"].filter(
      (x): x is string => typeof x === "string",
    ),
    url: `${BASE}/v1/Services/${service.sid}/PhoneNumbers/${n.sid}`,
  };
}

const serviceOf = (ctx: HandlerContext, param: string) => getService(ctx.store, ctx.params[param]!, ctx.path);

function pooledNumber(ctx: HandlerContext, service: MessagingService): IncomingPhoneNumber {
  const sid = ctx.params["Sid"]!;
  const number = ctx.store.state.phoneNumbers[sid];
  if (!number || !service.phoneNumbers[sid]) throw notFound(ctx.path);
  return number;
}

export const messagingRoutes: RouteDefinition[] = [
  {
    product: "messaging",
    method: "POST",
    template: "/v1/Services",
    handler: (ctx) => {
      const service = createMessagingService(ctx.store, { friendlyName: ctx.form.string("FriendlyName")! });
      applyForm(ctx.store, service, ctx.form, false);
      return created(renderService(ctx.store, service));
    },
  },
  {
    product: "messaging",
    method: "GET",
    template: "/v1/Services",
    handler: (ctx) =>
      ok(
        pageV1(HOST, {
          path: ctx.path,
          key: "services",
          items: byCreation(ctx.store.state.messagingServices),
          query: ctx.query,
          render: (s) => renderService(ctx.store, s),
        }),
      ),
  },
  {
    product: "messaging",
    method: "GET",
    template: "/v1/Services/{Sid}",
    handler: (ctx) => ok(renderService(ctx.store, serviceOf(ctx, "Sid"))),
  },
  {
    product: "messaging",
    method: "POST",
    template: "/v1/Services/{Sid}",
    handler: (ctx) => {
      const service = serviceOf(ctx, "Sid");
      applyForm(ctx.store, service, ctx.form, true);
      return ok(renderService(ctx.store, service));
    },
  },
  {
    product: "messaging",
    method: "DELETE",
    template: "/v1/Services/{Sid}",
    handler: (ctx) => {
      deleteMessagingService(ctx.store, serviceOf(ctx, "Sid").sid);
      return noContent();
    },
  },
  {
    product: "messaging",
    method: "POST",
    template: "/v1/Services/{ServiceSid}/PhoneNumbers",
    handler: (ctx) => {
      const service = serviceOf(ctx, "ServiceSid");
      const number = addToPool(ctx.store, service, ctx.form.string("PhoneNumberSid")!);
      return created(renderPoolEntry(ctx.store, service, number));
    },
  },
  {
    product: "messaging",
    method: "GET",
    template: "/v1/Services/{ServiceSid}/PhoneNumbers",
    handler: (ctx) => {
      const service = serviceOf(ctx, "ServiceSid");
      const items = Object.entries(service.phoneNumbers)
        .sort(([a, ea], [b, eb]) => ea.dateCreated.localeCompare(eb.dateCreated) || a.localeCompare(b))
        .map(([sid]) => ctx.store.state.phoneNumbers[sid])
        .filter((n): n is IncomingPhoneNumber => n !== undefined);
      return ok(
        pageV1(HOST, {
          path: ctx.path,
          key: "phone_numbers",
          items,
          query: ctx.query,
          render: (n) => renderPoolEntry(ctx.store, service, n),
        }),
      );
    },
  },
  {
    product: "messaging",
    method: "GET",
    template: "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}",
    handler: (ctx) => {
      const service = serviceOf(ctx, "ServiceSid");
      return ok(renderPoolEntry(ctx.store, service, pooledNumber(ctx, service)));
    },
  },
  {
    product: "messaging",
    method: "DELETE",
    template: "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}",
    handler: (ctx) => {
      const service = serviceOf(ctx, "ServiceSid");
      delete service.phoneNumbers[pooledNumber(ctx, service).sid];
      return noContent();
    },
  },
];
