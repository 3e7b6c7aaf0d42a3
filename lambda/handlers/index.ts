import { crm } from "./crm.js";
import { outgoingConversation } from "./outgoing-conversation.js";
import { routing } from "./routing.js";
import { templates } from "./templates.js";
import { twilioConversations } from "./twilio-conversations.js";
import type { Callback } from "./types.js";

export const CALLBACKS: readonly Callback[] = [crm, outgoingConversation, templates, routing, twilioConversations];
