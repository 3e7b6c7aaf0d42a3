import { CALLBACK_NAMES, type CallbackName, callbackPath } from "../../contract/callbacks.js";
import { type Params, probe, type Signing } from "./probe.js";
import {
  anything,
  type CustomerRow,
  channelsIn,
  conversationDefaults,
  customerDetails,
  customerList,
  customersIn,
  proxyAddress,
  refusal,
  type ShapeCheck,
  templateCategories,
} from "./shapes.js";

/** Latency thresholds. Frontline gives its callbacks 7 s, Conversations gives webhooks 5 s. */
export interface Limits {
  warnMs: number;
  frontlineMs: number;
  conversationsMs: number;
}

export const DEFAULT_LIMITS: Limits = { warnMs: 1000, frontlineMs: 7000, conversationsMs: 5000 };

/** The routes as Frontline and Twilio call them: the service's own list. */
export const CALLBACK_PATHS = Object.fromEntries(CALLBACK_NAMES.map((name) => [name, callbackPath(name)])) as Readonly<
  Record<CallbackName, string>
>;

export interface SmokeOptions {
  /** The stack's apiUrl (or custom domain), or a local server: the base Twilio signs against. */
  baseUrl: string;
  authToken: string;
  /** Frontline identity whose customers are listed and opened. */
  worker: string;
  /** Sent as AccountSid / ChatServiceSid on Conversations events when known, as Twilio does. */
  accountSid?: string;
  serviceSid?: string;
  limits?: Partial<Limits>;
  fetch?: typeof globalThis.fetch;
}

export type Outcome = "pass" | "warn" | "fail";

export interface CheckResult {
  callback: CallbackName;
  check: string;
  /** The status the check expects. */
  expected: number;
  /** What came back; null when nothing did. */
  status: number | null;
  ms: number | null;
  outcome: Outcome;
  /** Why it warned or failed; empty on a pass. */
  detail: string;
  /** Set when the check stands in for one that would write: what it proves instead. */
  readOnlySubstitute?: string;
}

export interface SmokeReport {
  url: string;
  worker: string;
  limits: Limits;
  passed: boolean;
  checks: CheckResult[];
}

/** Well-formed SIDs that name nothing: should a broken service try to write with them, Twilio answers 404. */
const NO_CONVERSATION = `CH${"0".repeat(32)}`;
const NO_PARTICIPANT = `MB${"0".repeat(32)}`;
const NO_CUSTOMER = "frontline-smoke-no-such-customer";
/** Twilio's documented test number: stands in for a customer address when the worker has none. */
const PLACEHOLDER_ADDRESS = "+15005550006";

const ROUTING_SUBSTITUTE =
  "routing adds a worker to a conversation; checked instead: a malformed ConversationSid is refused (400) " +
  "before any customer read or Twilio call";
const PARTICIPANT_SUBSTITUTE =
  "onParticipantAdded writes participant attributes; checked instead: a customer participant already stamped " +
  "with customer_id, display_name and avatar, which needs no write (its conversation SID does not exist either)";

interface CheckSpec {
  callback: CallbackName;
  check: string;
  params: Params;
  signing?: Signing;
  expected: number;
  shape: ShapeCheck;
  /** What the shape cannot tell: a semantic problem in a well-formed answer. */
  verdict?: (body: unknown) => { outcome: Outcome; detail: string } | undefined;
  readOnlySubstitute?: string;
}

/**
 * Calls every callback once the way Frontline and Twilio do, then the signature gate of each.
 * Nothing it sends can write: see the read-only substitutes for routing and onParticipantAdded.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const base = options.baseUrl.replace(/\/+$/, "");
  const checks: CheckResult[] = [];
  const worker = options.worker;

  const run = async (spec: CheckSpec): Promise<{ result: CheckResult; body: unknown }> => {
    const limitMs = spec.callback === "twilio-conversations" ? limits.conversationsMs : limits.frontlineMs;
    const answer = await probe({
      url: `${base}${CALLBACK_PATHS[spec.callback]}`,
      params: spec.params,
      signing: spec.signing ?? "valid",
      authToken: options.authToken,
      timeoutMs: limitMs,
      fetch: options.fetch,
    });
    const result: CheckResult = {
      callback: spec.callback,
      check: spec.check,
      expected: spec.expected,
      status: answer.kind === "answer" ? answer.status : null,
      ms: answer.ms,
      ...judge(spec, answer, limitMs, limits.warnMs),
      ...(spec.readOnlySubstitute ? { readOnlySubstitute: spec.readOnlySubstitute } : {}),
    };
    checks.push(result);
    return { result, body: answer.kind === "answer" ? answer.body : undefined };
  };
  const passed = (result: CheckResult) => result.outcome !== "fail";

  // crm: the worker's first page, then the first customer on it.
  const listParams: Params = [
    ["Location", "GetCustomersList"],
    ["Worker", worker],
    ["PageSize", "30"],
  ];
  const list = await run({
    callback: "crm",
    check: "GetCustomersList",
    params: listParams,
    expected: 200,
    shape: customerList,
  });
  const rows = passed(list.result) ? customersIn(list.body) : [];
  const customer: CustomerRow | undefined = rows[0];
  if (passed(list.result) && !customer) {
    list.result.outcome = "warn";
    list.result.detail = `${worker} has no customers: the checks below use an unknown customer (404); pass --worker`;
  }
  const customerId = customer?.customer_id ?? NO_CUSTOMER;
  const nextPageToken = passed(list.result)
    ? (list.body as { objects: { next_page_token?: string } }).objects.next_page_token
    : undefined;
  if (nextPageToken) {
    const firstPage = new Set(rows.map((row) => row.customer_id));
    await run({
      callback: "crm",
      check: "GetCustomersList (NextPageToken)",
      params: [...listParams, ["NextPageToken", nextPageToken]],
      expected: 200,
      shape: customerList,
      verdict: (body) => {
        const next = customersIn(body);
        if (next.length === 0) return { outcome: "fail", detail: "a page token led to an empty page" };
        // The app appends pages: a repeated row shows twice, a page that starts over never ends.
        if (next.some((row) => firstPage.has(row.customer_id)))
          return { outcome: "fail", detail: "the next page repeats customers of the first" };
        return undefined;
      },
    });
  }

  const detailsParams: Params = [
    ["Location", "GetCustomerDetailsByCustomerId"],
    ["Worker", worker],
    ["CustomerId", customerId],
  ];
  const details = await run(
    customer
      ? {
          callback: "crm",
          check: "GetCustomerDetailsByCustomerId",
          params: detailsParams,
          expected: 200,
          shape: customerDetails(customerId),
        }
      : {
          callback: "crm",
          check: "GetCustomerDetailsByCustomerId (unknown id)",
          params: detailsParams,
          expected: 404,
          shape: refusal,
        },
  );
  const channels = customer && passed(details.result) ? channelsIn(details.body) : [];
  const channel = channels.find((c) => c.type === "sms") ?? channels.find((c) => c.type === "whatsapp");

  if (customer) {
    const query = customer.display_name.slice(0, 32);
    await run({
      callback: "crm",
      check: "GetCustomersList (Query)",
      params: [...listParams, ["Query", query]],
      expected: 200,
      shape: customerList,
      verdict: (body) => {
        const found = customersIn(body);
        if (found.some((row) => row.customer_id === customerId)) return undefined;
        // Many customers sharing the name can push this one off the first page.
        if (found.length > 0)
          return { outcome: "warn", detail: "searching the customer's name did not list it on the first page" };
        return { outcome: "fail", detail: "searching the customer's name found nobody" };
      },
    });
  }

  // outgoing-conversation: the sender for the customer's channel.
  const channelType = channel?.type ?? "sms";
  const address = channel?.value ?? PLACEHOLDER_ADDRESS;
  const proxyParams: Params = [
    ["Location", "GetProxyAddress"],
    ["Worker", worker],
    ["CustomerId", customerId],
    ["ChannelType", channelType],
    ["ChannelValue", address],
  ];
  const proxy = await run({
    callback: "outgoing-conversation",
    check: `GetProxyAddress (${channelType})`,
    params: proxyParams,
    expected: 200,
    shape: proxyAddress,
  });
  const proxyAddressValue = passed(proxy.result) ? (proxy.body as { proxy_address: string }).proxy_address : undefined;

  // templates
  const templateParams: Params = [
    ["Location", "GetTemplatesByCustomerId"],
    ["Worker", worker],
    ["CustomerId", customerId],
    ["ConversationSid", NO_CONVERSATION],
  ];
  await run(
    customer
      ? {
          callback: "templates",
          check: "GetTemplatesByCustomerId",
          params: templateParams,
          expected: 200,
          shape: templateCategories,
        }
      : {
          callback: "templates",
          check: "GetTemplatesByCustomerId (unknown id)",
          params: templateParams,
          expected: 404,
          shape: refusal,
        },
  );

  // What Twilio puts on every message-bound event.
  const binding: Params = [
    ["MessagingBinding.Address", address],
    ...(proxyAddressValue ? [["MessagingBinding.ProxyAddress", proxyAddressValue] as const] : []),
    ["MessagingBinding.Type", channelType],
    ["Source", channelType.toUpperCase()],
  ];
  const account: Params = [
    ...(options.accountSid ? [["AccountSid", options.accountSid] as const] : []),
    ...(options.serviceSid ? [["ChatServiceSid", options.serviceSid] as const] : []),
  ];

  // routing: anything the callback accepts makes it add a participant, so only a refusal is safe.
  const routingParams: Params = [...account, ["ConversationSid", "not-a-conversation-sid"], ...binding];
  await run({
    callback: "routing",
    check: "routing (malformed ConversationSid)",
    params: routingParams,
    expected: 400,
    shape: refusal,
    readOnlySubstitute: ROUTING_SUBSTITUTE,
  });

  // twilio-conversations: the pre-event answers a name and changes nothing by itself.
  await run({
    callback: "twilio-conversations",
    check: "onConversationAdd",
    params: [
      ...account,
      ["EventType", "onConversationAdd"],
      ["RetryCount", "0"],
      ["State", "active"],
      ["Attributes", "{}"],
      ...binding,
    ],
    expected: 200,
    shape: conversationDefaults,
    verdict: (body) =>
      channel && (body as { friendly_name: string }).friendly_name === address
        ? {
            outcome: "fail",
            detail: "the customer's own address was not found: inbound conversations would be named by number",
          }
        : undefined,
  });
  const stamped = JSON.stringify({ customer_id: customerId, display_name: customer?.display_name ?? "", avatar: "" });
  const participantParams: Params = [
    ...account,
    ["EventType", "onParticipantAdded"],
    ["ConversationSid", NO_CONVERSATION],
    ["ParticipantSid", NO_PARTICIPANT],
    ["Attributes", stamped],
    ["RetryCount", "0"],
    ...binding,
  ];
  await run({
    callback: "twilio-conversations",
    check: "onParticipantAdded (already stamped)",
    params: participantParams,
    expected: 200,
    shape: anything,
    readOnlySubstitute: PARTICIPANT_SUBSTITUTE,
  });

  // The gate, on each callback, with parameters the callback would answer 200 to once past it; routing's
  // carry a well-formed SID that names no conversation, so its 400 cannot come from the SID check.
  const gateParams: ReadonlyArray<[CallbackName, Params]> = [
    ["crm", listParams],
    ["outgoing-conversation", proxyParams],
    ["templates", templateParams],
    ["routing", [...account, ["ConversationSid", NO_CONVERSATION], ...binding]],
    ["twilio-conversations", participantParams],
  ];
  for (const [callback, params] of gateParams) {
    await run({ callback, check: "unsigned", params, signing: "missing", expected: 400, shape: refusal });
    await run({ callback, check: "wrong signature", params, signing: "wrong", expected: 403, shape: refusal });
  }

  return { url: base, worker, limits, passed: checks.every(passed), checks };
}

function judge(
  spec: CheckSpec,
  answer: Awaited<ReturnType<typeof probe>>,
  limitMs: number,
  warnMs: number,
): { outcome: Outcome; detail: string } {
  const fail = (detail: string) => ({ outcome: "fail" as const, detail });
  if (answer.kind === "timeout") return fail(`no answer within ${limitMs} ms, the caller's limit`);
  if (answer.kind === "unreachable") return fail(`no answer: ${answer.reason}`);
  if (answer.status !== spec.expected) {
    const reason = (answer.body as { error?: unknown } | undefined)?.error;
    const got = `expected ${spec.expected}, got ${answer.status}${typeof reason === "string" ? `: ${reason.slice(0, 100)}` : ""}`;
    // A refused good signature is nearly always one of two settings, not a broken callback.
    if (answer.status === 403 && (spec.signing ?? "valid") === "valid") {
      return fail(`${got} (is TWILIO_AUTH_TOKEN the service's account token, and --url the base it verifies against?)`);
    }
    return fail(got);
  }
  const problem = spec.shape(answer.body);
  if (problem) return fail(problem);
  const verdict = spec.verdict?.(answer.body);
  if (verdict?.outcome === "fail") return verdict;
  if (answer.ms > limitMs) return fail(`answered in ${answer.ms} ms, over the caller's ${limitMs} ms limit`);
  if (answer.ms > warnMs) return { outcome: "warn", detail: `slow: ${answer.ms} ms (warns above ${warnMs} ms)` };
  return verdict ?? { outcome: "pass", detail: "" };
}
