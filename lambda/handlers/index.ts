import { CALLBACK_NAMES, type CallbackName } from "../../contract/callbacks.js";
import { crm } from "./crm.js";
import { outgoingConversation } from "./outgoing-conversation.js";
import { routing } from "./routing.js";
import { templates } from "./templates.js";
import { twilioConversations } from "./twilio-conversations.js";
import type { Callback } from "./types.js";

// Keyed by the contract's names, so a callback added there and not here fails the typecheck.
const BY_NAME: Readonly<Record<CallbackName, Callback>> = {
  crm,
  "outgoing-conversation": outgoingConversation,
  templates,
  routing,
  "twilio-conversations": twilioConversations,
};

/** Every callback, in the contract's order (the local server serves them all). */
export const CALLBACKS: readonly Callback[] = CALLBACK_NAMES.map((name) => BY_NAME[name]);
