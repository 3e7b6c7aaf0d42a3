/**
 * API 2010 IncomingPhoneNumbers, read-only: numbers are seeded by tests, never bought or released.
 * The `PhoneNumber` filter matches partially, as Twilio's does, so callers must pick the exact one.
 */
import { notFound } from "../errors.js";
import { page2010 } from "../paging.js";
import { type HandlerContext, ok, type RouteDefinition } from "../router.js";
import { byCreation, type IncomingPhoneNumber } from "../state.js";
import type { Store } from "../store.js";
import type { PhoneNumberSeed } from "../types.js";

const COUNTRY_BY_PREFIX: Array<[string, string]> = [
  ["+1", "US"],
  ["+44", "GB"],
  ["+61", "AU"],
  ["+49", "DE"],
  ["+33", "FR"],
];

export function createPhoneNumber(store: Store, e164: string, seed: PhoneNumberSeed = {}): IncomingPhoneNumber {
  if (!/^\+[1-9]\d{1,14}$/.test(e164)) throw new Error(`not an E.164 number: ${e164}`);
  if (Object.values(store.state.phoneNumbers).some((n) => n.phoneNumber === e164))
    throw new Error(`${e164} is already a number of this account`);
  const now = store.now();
  const number: IncomingPhoneNumber = {
    sid: store.sid("PN"),
    phoneNumber: e164,
    friendlyName: seed.friendlyName ?? e164,
    countryCode: COUNTRY_BY_PREFIX.find(([prefix]) => e164.startsWith(prefix))?.[1] ?? "US",
    capabilities: { voice: true, sms: true, mms: true, fax: false, ...seed.capabilities },
    smsUrl: seed.smsUrl ?? "",
    smsMethod: "POST",
    voiceUrl: seed.voiceUrl ?? null,
    voiceMethod: "POST",
    origin: seed.origin ?? "twilio",
    beta: seed.beta ?? false,
    dateCreated: now,
    dateUpdated: now,
  };
  store.state.phoneNumbers[number.sid] = number;
  return number;
}

/**
 * Twilio: "You can specify partial numbers and use '*' as a wildcard for any digit". A leading
 * `+` anchors at the country code; without it the digits may appear anywhere in the number.
 */
export function matchesPhoneFilter(phoneNumber: string, filter: string): boolean {
  const trimmed = filter.trim();
  const anchored = trimmed.startsWith("+");
  const pattern = trimmed.replace(/[^0-9*]/g, "").replace(/\*/g, "\\d");
  return new RegExp(anchored ? `^${pattern}` : pattern).test(phoneNumber.slice(1));
}

/** RFC 2822, as API 2010 renders dates. */
function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, "+0000");
}

function render(store: Store, n: IncomingPhoneNumber): unknown {
  return {
    account_sid: store.accountSid,
    address_requirements: "none",
    address_sid: null,
    api_version: "2010-04-01",
    beta: n.beta,
    capabilities: { ...n.capabilities },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: n.origin,
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: "",
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status_callback: "",
    status_callback_method: "POST",
    trunk_sid: null,
    uri: `/2010-04-01/Accounts/${store.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_application_sid: "",
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl,
    bundle_sid: null,
    voice_receive_mode: "voice",
    status: "in-use",
    type: "local",
  };
}

/** Credentials of one account reading another's numbers: Twilio answers 404 (assumed). */
function checkAccount(ctx: HandlerContext): void {
  if (ctx.params["AccountSid"] !== ctx.store.accountSid) throw notFound(ctx.path);
}

export const phoneNumberRoutes: RouteDefinition[] = [
  {
    product: "api",
    method: "GET",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
    handler: (ctx) => {
      checkAccount(ctx);
      const q = ctx.query;
      const phone = q.string("PhoneNumber");
      const friendlyName = q.string("FriendlyName");
      const origin = q.string("Origin");
      const beta = q.bool("Beta") ?? true;
      const items = byCreation(ctx.store.state.phoneNumbers).filter(
        (n) =>
          (phone === undefined || matchesPhoneFilter(n.phoneNumber, phone)) &&
          (friendlyName === undefined || n.friendlyName === friendlyName) &&
          (origin === undefined || n.origin === origin) &&
          (beta || !n.beta),
      );
      const filters: Array<[string, string]> = [];
      for (const key of ["FriendlyName", "Beta", "PhoneNumber", "Origin"]) {
        const value = q.string(key);
        if (value !== undefined) filters.push([key, value]);
      }
      return ok(
        page2010({
          path: ctx.path,
          key: "incoming_phone_numbers",
          items,
          query: q,
          filters,
          render: (n) => render(ctx.store, n),
        }),
      );
    },
  },
  {
    product: "api",
    method: "GET",
    template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
    handler: (ctx) => {
      checkAccount(ctx);
      const n = ctx.store.state.phoneNumbers[ctx.params["Sid"]!];
      if (!n) throw notFound(ctx.path);
      return ok(render(ctx.store, n));
    },
  },
];
