import type { ConversationsPort } from "./conversations-port.js";
import { type RestOptions, TwilioApiError, twilioRest } from "./rest.js";

/**
 * Believed to be what Twilio answers (HTTP 409) when the identity is already a participant.
 * Not verified on a live account: we branch on the code, not the status, so a different status with
 * the same code still counts as success, and a different code still surfaces.
 */
export const PARTICIPANT_ALREADY_EXISTS = 50433;

/**
 * The Conversations calls the handlers make, over plain `fetch`: the `twilio` SDK would add about
 * 3.7 MB to every bundle and ~120 ms to each cold start for two requests.
 */
export function conversationsClient(options: RestOptions & { serviceSid?: string }): ConversationsPort {
  // Service-scoped paths when the Frontline service is known; account-scoped ones reach the default service.
  const base = options.serviceSid
    ? `https://conversations.twilio.com/v1/Services/${options.serviceSid}/Conversations`
    : "https://conversations.twilio.com/v1/Conversations";
  return {
    async addWorker(conversationSid, identity) {
      try {
        await twilioRest(
          { method: "POST", url: `${base}/${conversationSid}/Participants`, form: { Identity: identity } },
          options,
        );
        return "added";
      } catch (error) {
        if (error instanceof TwilioApiError && error.code === PARTICIPANT_ALREADY_EXISTS) return "already";
        throw error;
      }
    },
    async setParticipantAttributes(conversationSid, participantSid, attributes) {
      await twilioRest(
        {
          method: "POST",
          url: `${base}/${conversationSid}/Participants/${participantSid}`,
          form: { Attributes: attributes },
        },
        options,
      );
    },
  };
}
