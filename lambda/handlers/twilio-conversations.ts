import { callbackPath } from "../../contract/callbacks.js";
import type { Customer } from "../customers/customer.js";
import { param } from "../form-params.js";
import { customerAddress } from "./customer-address.js";
import { type Callback, type Handler, ok } from "./types.js";

/** Pre-event: name the conversation and give it the customer's avatar before it exists. */
const onConversationAdd: Handler = async (params, deps) => {
  const address = customerAddress(params);
  // Not from an inbound message: nothing to name, let the conversation be created as asked.
  if (!address) return ok();
  let customer: Customer | undefined;
  try {
    customer = await (await deps.directory()).findByAddress(address);
  } catch (error) {
    // A non-200 here blocks the conversation, and with it the customer's message: create it as
    // Twilio proposed (unnamed) rather than fail closed on a directory blip.
    // The error's name only: a store's message may quote the key, here the customer's number.
    deps.log.error("onConversationAdd: customer directory unavailable; conversation created unchanged", {
      error: error instanceof Error ? error.name : "unknown",
    });
    return ok();
  }
  return ok({
    friendly_name: customer?.display_name ?? address,
    attributes: JSON.stringify(customer?.avatar ? { avatar: customer.avatar } : {}),
  });
};

function parseAttributes(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Post-event: stamp the customer participant so the app can open Customer Details from the chat. */
const onParticipantAdded: Handler = async (params, deps) => {
  const address = customerAddress(params);
  // Workers are chat participants with an Identity; they carry no customer to stamp.
  if (!address || param(params, "Identity")) return ok();
  const conversationSid = param(params, "ConversationSid");
  const participantSid = param(params, "ParticipantSid");
  if (!conversationSid || !participantSid) return ok();
  const existing = parseAttributes(param(params, "Attributes"));
  if (!existing) {
    // Overwriting attributes we cannot read would lose whatever another integration stored there.
    deps.log.warn("onParticipantAdded: participant attributes are not a JSON object; left unchanged", {
      participantSid,
    });
    return ok();
  }
  const customer = await (await deps.directory()).findByAddress(address);
  if (!customer) {
    deps.log.info("onParticipantAdded: no customer for this address", { participantSid });
    return ok();
  }
  // Values already on the participant win: when the app starts a conversation it stamps the
  // customer it chose, and another customer sharing the number must not replace it.
  const stamped = {
    customer_id: customer.customer_id,
    display_name: customer.display_name,
    ...(customer.avatar ? { avatar: customer.avatar } : {}),
    ...existing,
  };
  if (Object.keys(stamped).length === Object.keys(existing).length) return ok();
  await (await deps.conversations()).setParticipantAttributes(conversationSid, participantSid, JSON.stringify(stamped));
  deps.log.info("onParticipantAdded: customer stamped", { participantSid, customerId: customer.customer_id });
  return ok();
};

export const twilioConversations: Callback = {
  name: "twilio-conversations",
  path: callbackPath("twilio-conversations"),
  dispatch: { key: "EventType", unknown: "ignore", routes: { onConversationAdd, onParticipantAdded } },
};
