import type { CallbackName, CallbackPath } from "../../contract/callbacks.js";
import type { CustomerDirectory } from "../customers/directory.js";
import type { FormParams } from "../form-params.js";
import type { Logger } from "../runtime/log.js";
import type { TemplateCategory } from "../templates/catalog.js";
import type { ConversationsPort } from "../twilio/conversations-port.js";

/** What a handler answers; the adapter turns it into JSON. */
export interface Reply {
  status: number;
  /** JSON body; undefined answers an empty body. */
  body?: unknown;
}

export interface Settings {
  smsNumber?: string;
  whatsappNumber?: string;
  defaultWorker?: string;
}

/**
 * Everything a handler may use. Heavy dependencies are functions so each Lambda builds only what
 * its callback touches (the outgoing-conversation function never loads the DynamoDB client).
 */
export interface Deps {
  directory(): Promise<CustomerDirectory>;
  conversations(): Promise<ConversationsPort>;
  templates(): Promise<readonly TemplateCategory[]>;
  /** A worker's display name for `{{Author}}`; without one, the identity's local part is used. */
  workerName?(identity: string): Promise<string | undefined>;
  settings: Settings;
  log: Logger;
}

export type Handler = (params: FormParams, deps: Deps) => Promise<Reply>;

export type { CallbackName };

export interface Callback {
  name: CallbackName;
  /** Route path, also the path part of the signed URL. */
  path: CallbackPath;
  /**
   * Frontline callbacks dispatch on `Location` and refuse what they do not know (422);
   * Conversations webhooks dispatch on `EventType` and answer 200 to events they do not handle,
   * since other pre-action hooks may share the URL and a non-200 would block them.
   */
  dispatch:
    | { key: "Location" | "EventType"; routes: Readonly<Record<string, Handler>>; unknown: "reject" | "ignore" }
    | { handle: Handler };
}

/** `ann` for `ann@example.com`: the author's name when no display name can be had. */
export function authorFallback(identity: string): string {
  const at = identity.indexOf("@");
  return (at > 0 ? identity.slice(0, at) : identity).trim() || identity;
}

export const ok = (body?: unknown): Reply => ({ status: 200, body });
export const refuse = (status: number, error: string): Reply => ({ status, body: { error } });
