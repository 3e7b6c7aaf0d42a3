/**
 * The Twilio-only project: the callbacks run elsewhere, and `pulumi up` here points the Twilio
 * account at them. Set up and config keys: the README section "The Twilio account alone".
 */
import { twilioAccountProgram } from "./program.js";

const outputs = twilioAccountProgram();

export const messagingServiceSid = outputs.messagingServiceSid;
/** Paste crm, outgoingConversation, routing and templates into Console > Frontline > Manage > Callbacks. */
export const callbackUrls = outputs.callbackUrls;
