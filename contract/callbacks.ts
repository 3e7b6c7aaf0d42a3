/**
 * The five callbacks, named once. Everything else derives from this list: the handler each Lambda
 * bundle is built around (build/lambda-bundles.cjs), the local server's and the Lambda adapter's
 * routing, the API routes, each function's settings and IAM, the `callbackUrls` output.
 *
 * This file has no runtime imports and uses only erasable TypeScript, so the build recipe (CommonJS)
 * can `require` it as it is: Node 22.18+ strips the types, and the Pulumi CLI's ts-node compiles it.
 */

/** What a function's code reads from the customer table (see lambda/runtime/table-directory.ts). */
export type TableRead = "getById" | "listByWorker" | "findByAddress";

/** Settings beyond the ones every function gets (public base URL, account SID, token parameter name). */
export type Setting =
  | "CUSTOMERS_TABLE"
  | "TWILIO_SMS_NUMBER"
  | "TWILIO_WHATSAPP_NUMBER"
  | "CONVERSATIONS_SERVICE_SID"
  | "DEFAULT_WORKER";

interface CallbackEntry {
  /** Also the handler module (lambda/handlers/<name>.ts) and the bundle (dist/lambda/<name>/index.mjs). */
  name: string;
  /** Key in the `callbackUrls` stack output. */
  urlKey: string;
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
const LIST = [
  {
    name: "crm",
    urlKey: "crm",
    settings: ["CUSTOMERS_TABLE"],
    tableReads: ["listByWorker", "getById"],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "outgoing-conversation",
    urlKey: "outgoingConversation",
    settings: ["TWILIO_SMS_NUMBER", "TWILIO_WHATSAPP_NUMBER"],
    tableReads: [],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "templates",
    urlKey: "templates",
    settings: ["CUSTOMERS_TABLE"],
    tableReads: ["getById"],
    memoryMb: 256,
    timeoutSeconds: 5,
  },
  {
    name: "routing",
    urlKey: "routing",
    settings: ["CUSTOMERS_TABLE", "CONVERSATIONS_SERVICE_SID", "DEFAULT_WORKER"],
    tableReads: ["findByAddress"],
    memoryMb: 512,
    timeoutSeconds: 6,
  },
  {
    name: "twilio-conversations",
    urlKey: "conversations",
    settings: ["CUSTOMERS_TABLE", "CONVERSATIONS_SERVICE_SID"],
    tableReads: ["findByAddress"],
    memoryMb: 512,
    timeoutSeconds: 5,
  },
] as const satisfies readonly CallbackEntry[];

export type CallbackName = (typeof LIST)[number]["name"];
export type CallbackUrlKey = (typeof LIST)[number]["urlKey"];
export type CallbackPath = `/callbacks/${CallbackName}`;

export interface CallbackSpec extends CallbackEntry {
  name: CallbackName;
  urlKey: CallbackUrlKey;
  /** Route path, also the path part of the URL Twilio signs. */
  path: CallbackPath;
}

export function callbackPath(name: CallbackName): CallbackPath {
  return `/callbacks/${name}`;
}

// Pure: a bundle that only needs callbackPath() does not carry the list.
export const CALLBACKS: readonly CallbackSpec[] = /* @__PURE__ */ LIST.map((entry) => ({
  ...entry,
  path: callbackPath(entry.name),
}));

export const CALLBACK_NAMES: readonly CallbackName[] = /* @__PURE__ */ CALLBACKS.map((spec) => spec.name);
