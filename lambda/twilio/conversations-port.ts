/**
 * The few Conversations REST operations the handlers need. Handlers depend on this interface only;
 * `conversations-client.ts` implements it over HTTPS, tests pass fakes or point it at the emulator.
 */
export interface ConversationsPort {
  /** Adds a chat participant. Resolves `"added"`, or `"already"` when the identity is already in it. */
  addWorker(conversationSid: string, identity: string): Promise<"added" | "already">;
  /** Replaces a participant's attributes (a JSON string). */
  setParticipantAttributes(conversationSid: string, participantSid: string, attributes: string): Promise<void>;
}
