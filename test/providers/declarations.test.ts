/**
 * The declarations against the official spec: every parameter a provider writes exists on the
 * object's update operation, and a field is `clearable` exactly when the spec accepts it empty, so a
 * restore never sends an empty value Twilio refuses and never leaves out one it could clear.
 */
import { describe, expect, it } from "vitest";
import { findOperation } from "../../dev/twilio-emulator/spec/catalog.js";
import { validateRequest } from "../../dev/twilio-emulator/spec/validator.js";
import type { Product } from "../../dev/twilio-emulator/types.js";
import { addressConfigurationDeclaration } from "../../infra/twilio/address-configuration.js";
import { conversationsDefaultsDeclaration } from "../../infra/twilio/conversations-defaults.js";
import { messagingServiceDeclaration } from "../../infra/twilio/messaging-service.js";
import type { Declaration } from "../../infra/twilio/provider.js";
import { senderPoolEntryDeclaration } from "../../infra/twilio/sender-pool-entry.js";
import { serviceWebhooksDeclaration } from "../../infra/twilio/service-webhooks.js";

const sid = (prefix: string) => `${prefix}${"0".repeat(32)}`;

const declarations: Array<[string, Declaration, string]> = [
  ["ConversationsDefaults", conversationsDefaultsDeclaration, ""],
  ["ServiceWebhooks", serviceWebhooksDeclaration, sid("IS")],
  ["MessagingService", messagingServiceDeclaration, sid("MG")],
  ["SenderPoolEntry", senderPoolEntryDeclaration, `${sid("MG")}/${sid("PN")}`],
  ["AddressConfiguration", addressConfigurationDeclaration, sid("IG")],
];

/** The spec operation that writes the object at `decl.url` for `id`, and a check of one form against it. */
function operation(decl: Declaration, id: string, method: string) {
  const parts = id.split("/");
  const url = new URL(decl.url.replace(/\{\}/g, () => parts.shift()!));
  const product = url.hostname.replace(/\.twilio\.com$/, "") as Product;
  const match = findOperation(product, method, url.pathname)!;
  expect(match, `${method} ${url}`).toBeDefined();
  return (form: Record<string, string[]>) =>
    validateRequest(match.operation, { params: match.params, query: {}, headers: {}, form });
}

describe.each(declarations)("%s", (_name, decl, id) => {
  const writable = Object.entries(decl.table).filter(([, spec]) => spec.param);

  it("writes only parameters of the object's update operation", () => {
    if (!writable.length) return expect(decl.create, "a resource without fields only adds and removes").toBeDefined();
    const validate = operation(decl, id, "POST");
    for (const [field, spec] of writable) {
      expect(
        validate({ [spec.param!]: ["x"] }).filter((p) => p.startsWith("Unknown parameter")),
        field,
      ).toEqual([]);
    }
  });

  it("marks a field clearable exactly when the spec accepts it empty", () => {
    if (!writable.length) return;
    const validate = operation(decl, id, "POST");
    for (const [field, spec] of writable) {
      const empty = validate({ [spec.param!]: [""] });
      expect({ field, clearable: spec.clearable === true }).toEqual({ field, clearable: empty.length === 0 });
    }
  });
});

it("the address configuration's enum and SID are not clearable: the case that stopped destroy half way", () => {
  const { autoCreationType, conversationServiceSid, friendlyName } = addressConfigurationDeclaration.table;
  expect([autoCreationType?.clearable, conversationServiceSid?.clearable, friendlyName?.clearable]).toEqual([
    undefined,
    undefined,
    true,
  ]);
});
