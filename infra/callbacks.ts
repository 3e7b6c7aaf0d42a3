/**
 * The five callbacks as deploy-time facts: route, output key, sizing, and exactly which settings
 * and table reads each one's code uses. IAM and environment are derived from this table, so giving
 * a function one more permission is a visible one-line change here.
 */
import type { CallbackBundleName } from "../scripts/lambda-bundles.cjs";

/** What a function's code reads from the customer table (see lambda/runtime/table-directory.ts). */
export type TableRead = "getById" | "listByWorker" | "findByAddress";

/** Settings beyond the ones every function gets (public base URL, account SID, token parameter name). */
export type Setting = "CUSTOMERS_TABLE" | "TWILIO_SMS_NUMBER" | "TWILIO_WHATSAPP_NUMBER" | "CONVERSATIONS_SERVICE_SID" | "DEFAULT_WORKER";

export type CallbackUrlKey = "crm" | "outgoingConversation" | "templates" | "routing" | "conversations";

export interface CallbackSpec {
  name: CallbackBundleName;
  /** Key in the `callbackUrls` stack output. */
  urlKey: CallbackUrlKey;
  path: `/callbacks/${CallbackBundleName}`;
  settings: readonly Setting[];
  tableReads: readonly TableRead[];
  memoryMb: number;
  timeoutSeconds: number;
}

/*
 * Sizing. The bundles are 10-20 KB and load the AWS SDK clients (SSM for the token, DynamoDB for
 * customers) lazily; that cold start measured 100-200 ms on one full core. Lambda gives CPU in
 * proportion to memory (1,769 MB = 1 vCPU), so at 256 MB (~1/7 vCPU) a cold start costs roughly
 * 0.7-1.4 s and at 512 MB roughly half that; warm requests are a few milliseconds of CPU either way.
 *
 * - crm, templates, outgoing-conversation answer Frontline, which waits a bit under 7 s, and make
 *   no Twilio call: 256 MB leaves ample room even cold. Timeout 5 s: a DynamoDB read takes
 *   milliseconds, so anything near the limit is a hang, and it must fail before Frontline gives up.
 * - routing (Frontline, 7 s) and twilio-conversations (Conversations webhooks, 5 s) call Twilio
 *   with a 4 s budget inside the handler, so a cold start must not eat the rest: 512 MB. Timeouts
 *   6 s and 5 s: past those the caller has stopped waiting, so more time only bills.
 * Cost is negligible at Frontline volumes (a few thousand invocations a day).
 */
export const CALLBACKS: readonly CallbackSpec[] = [
  {
    name: "crm",
    urlKey: "crm",
    path: "/callbacks/crm",
    settings: ["CUSTOMERS_TABLE"],
    tableReads: ["listByWorker", "getById"],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "outgoing-conversation",
    urlKey: "outgoingConversation",
    path: "/callbacks/outgoing-conversation",
    settings: ["TWILIO_SMS_NUMBER", "TWILIO_WHATSAPP_NUMBER"],
    tableReads: [],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "templates",
    urlKey: "templates",
    path: "/callbacks/templates",
    settings: ["CUSTOMERS_TABLE"],
    tableReads: ["getById"],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "routing",
    urlKey: "routing",
    path: "/callbacks/routing",
    settings: ["CUSTOMERS_TABLE", "CONVERSATIONS_SERVICE_SID", "DEFAULT_WORKER"],
    tableReads: ["findByAddress"],
    memoryMb: 512,
    timeoutSeconds: 6,
  },
  {
    name: "twilio-conversations",
    urlKey: "conversations",
    path: "/callbacks/twilio-conversations",
    settings: ["CUSTOMERS_TABLE", "CONVERSATIONS_SERVICE_SID"],
    tableReads: ["findByAddress"],
    memoryMb: 512,
    timeoutSeconds: 5,
  },
];

export function callbackSpec(name: CallbackBundleName): CallbackSpec {
  const spec = CALLBACKS.find((callback) => callback.name === name);
  if (!spec) throw new Error(`unknown callback ${name}`);
  return spec;
}
