// GetCustomersList cost against directory size. JSON store: p50/p99 of list() for 1k, 10k and 100k
// customers (one worker owns ~10%): first page, a middle page by NextPageToken, the same by Anchor,
// and searches; then the full signed path (API Gateway event -> adapter -> handler -> JSON).
// DynamoDB store on dynalite: how many DynamoDB requests each page costs (dynalite's own latency
// means nothing for DynamoDB, so only counts are reported).
//
// usage: npx node bench/list-latency.mjs [--iterations=20000] [--sizes=1000,10000,100000]
import {
  AGENT,
  apiGatewayEvent,
  argValue,
  fmt,
  generateCustomers,
  printMachine,
  printReproduce,
  printTable,
  summarize,
  writeResult,
} from "./lib/common.mjs";
import { createCustomerTable, dynamoClient, loadProjectLib, startDynalite } from "./lib/services.mjs";

const SIZES = argValue("sizes", "1000,10000,100000").split(",").map(Number);
const ITERATIONS = Number(argValue("iterations", 20_000));
const ADAPTER_ITERATIONS = Math.max(1000, Math.round(ITERATIONS / 4));
const PAGE = 30;
const AUTH_TOKEN = "0123456789abcdef".repeat(2);
const BASE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com";
// The size-independence bar: p50 at the largest size within 2x of the smallest (plus 2 µs for timer noise).
const FACTOR = 2;
const SLACK_US = 2;

console.log("# list-latency: GetCustomersList against directory size");
const machine = printMachine();
printReproduce(import.meta.url);
const lib = await loadProjectLib();
const crm = lib.CALLBACKS.find((c) => c.name === "crm");

/**
 * Times `fns[k]()` one call at a time, interleaving the sizes in BLOCKS rounds so that a noisy moment
 * on this shared machine lands on every size alike rather than on whichever was measured then.
 */
const BLOCKS = 10;
async function timeInterleaved(fns, iterations) {
  const samples = fns.map(() => new Float64Array(iterations));
  for (const fn of fns) for (let i = 0; i < 2000; i++) await fn();
  const per = Math.ceil(iterations / BLOCKS);
  for (let block = 0; block < BLOCKS; block++) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k];
      const into = samples[k];
      for (let i = block * per; i < Math.min(iterations, (block + 1) * per); i++) {
        const t0 = process.hrtime.bigint();
        await fn();
        into[i] = Number(process.hrtime.bigint() - t0) / 1000;
      }
    }
  }
  return samples.map(summarize);
}

/** The list requests measured for one directory: positions are taken from the directory itself. */
async function casesFor(directory) {
  const all = [];
  let page = await directory.list({ worker: AGENT, pageSize: 100 });
  all.push(...page.customers);
  while (page.nextPageToken) {
    page = await directory.list({ worker: AGENT, pageSize: 100, pageToken: page.nextPageToken });
    all.push(...page.customers);
  }
  const middle = all[Math.floor(all.length / 2)].customer_id;
  const tokenPage = await directory.list({ worker: AGENT, pageSize: 1, anchor: middle });
  // PageSize 20 for the broad search: at 1k the agent has ~22 "ma" matches, so every size fills the page.
  const broad = await directory.list({ worker: AGENT, pageSize: 20, query: "ma" });
  return {
    owned: all.length,
    cases: [
      { name: "first page", request: { worker: "Agent@Example.com", pageSize: PAGE } },
      {
        name: "middle page by NextPageToken",
        request: { worker: AGENT, pageSize: PAGE, pageToken: tokenPage.nextPageToken },
      },
      { name: "middle page by Anchor", request: { worker: AGENT, pageSize: PAGE, anchor: middle } },
      { name: 'search "ma" (PageSize 20), first page', request: { worker: AGENT, pageSize: 20, query: "Ma" } },
      ...(broad.nextPageToken
        ? [
            {
              name: 'search "ma" (PageSize 20), page 2 by token',
              request: { worker: AGENT, pageSize: 20, query: "Ma", pageToken: broad.nextPageToken },
            },
          ]
        : []),
      { name: 'search "rosa sm", first page', request: { worker: AGENT, pageSize: PAGE, query: "rosa sm" } },
    ],
  };
}

function formParams(request) {
  const params = { Location: "GetCustomersList", Worker: request.worker, PageSize: String(request.pageSize) };
  if (request.query) params.Query = request.query;
  if (request.pageToken) params.NextPageToken = request.pageToken;
  if (request.anchor) params.Anchor = request.anchor;
  return params;
}

function adapterApp(directory) {
  return {
    route: () => crm,
    token: lib.staticToken(AUTH_TOKEN),
    publicBaseUrl: BASE_URL,
    defaultScheme: "https",
    deps: {
      settings: {},
      log: lib.memoryLogger(),
      directory: async () => directory,
      templates: async () => lib.DEFAULT_TEMPLATES,
      conversations: async () => {
        throw new Error("not used");
      },
    },
  };
}

const json = {};
const prepared = [];
for (const size of SIZES) {
  const customers = generateCustomers(size);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const directory = lib.createJsonDirectory(customers);
  const loadMs = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const { owned, cases } = await casesFor(directory);
  prepared.push({ size, directory, cases, app: adapterApp(directory) });
  json[size] = { size, owned, loadMs, heapMb, cases: {} };
  console.log(
    `  ${size.toLocaleString("en-US")} customers: directory built in ${fmt(loadMs, 0)} ms (heap +${fmt(heapMb, 0)} MB, customers array included), the agent owns ${owned}`,
  );
}
const allCaseNames = [...new Set(prepared.flatMap((p) => p.cases.map((c) => c.name)))];
for (const name of allCaseNames) {
  const present = prepared.filter((p) => p.cases.some((c) => c.name === name));
  const storeFns = [];
  const adapterFns = [];
  for (const p of present) {
    const c = p.cases.find((x) => x.name === name);
    const page = await p.directory.list(c.request);
    const event = apiGatewayEvent({
      baseUrl: BASE_URL,
      path: crm.path,
      params: formParams(c.request),
      authToken: AUTH_TOKEN,
    });
    const answer = await lib.handleRequest(lib.fromApiGatewayEvent(event), p.app);
    if (answer.status !== 200) throw new Error(`${name}: adapter answered ${answer.status} ${answer.body}`);
    if (JSON.parse(answer.body).objects.customers.length !== page.customers.length)
      throw new Error(`${name}: adapter and store disagree`);
    json[p.size].cases[name] = { rows: page.customers.length, next: Boolean(page.nextPageToken) };
    storeFns.push(() => p.directory.list(c.request));
    adapterFns.push(() => lib.handleRequest(lib.fromApiGatewayEvent(event), p.app));
  }
  const store = await timeInterleaved(storeFns, ITERATIONS);
  const adapter = await timeInterleaved(adapterFns, ADAPTER_ITERATIONS);
  present.forEach((p, k) => {
    Object.assign(json[p.size].cases[name], { store: store[k], adapter: adapter[k] });
  });
}
prepared.length = 0;

const caseNames = [...new Set(SIZES.flatMap((s) => Object.keys(json[s].cases)))];
const sizeHeads = (what) => SIZES.flatMap((s) => [`${s / 1000}k ${what} p50`, `${s / 1000}k p99`]);
const cell = (s, name, kind, q) => (json[s].cases[name] ? fmt(json[s].cases[name][kind][q], 2) : "n/a");
console.log(
  `\nµs per call, ${ITERATIONS.toLocaleString("en-US")} timed calls per cell (store) / ${ADAPTER_ITERATIONS.toLocaleString("en-US")} (adapter), after 2,000 warm-up calls, sizes interleaved in ${BLOCKS} blocks; PageSize ${PAGE} unless noted.`,
);
printTable(
  "JSON store: directory.list() latency (µs)",
  ["case", "rows", ...sizeHeads("list")],
  caseNames.map((name) => [
    name,
    SIZES.map((s) =>
      json[s].cases[name] ? json[s].cases[name].rows + (json[s].cases[name].next ? "+" : "") : "-",
    ).join("/"),
    ...SIZES.flatMap((s) => [cell(s, name, "store", "median"), cell(s, name, "store", "p99")]),
  ]),
);
printTable(
  "Full signed path: fromApiGatewayEvent -> handleRequest (size/type checks, form parse, HMAC-SHA1 signature, handler, JSON) (µs)",
  ["case", ...sizeHeads("signed")],
  caseNames.map((name) => [
    name,
    ...SIZES.flatMap((s) => [cell(s, name, "adapter", "median"), cell(s, name, "adapter", "p99")]),
  ]),
);
console.log(
  "rows: rows returned at each size (1k/10k/100k); '+' = a next_page_token was issued. Cases whose row count differs between sizes are not judged for size independence.",
);

// ---- DynamoDB store: requests per page

const dynamo = await startDynalite();
// The table is loaded with the AWS SDK (as customers:import does); the store reads through the
// functions' own SigV4 client, wrapped to count the operations it sends.
const client = await dynamoClient(dynamo.endpoint, { maxAttempts: 1 });
const commands = [];
const sigv4 = lib.sigv4DynamoClient({
  env: {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  },
  maxAttempts: 1,
});
const sender = (operation, input) => (commands.push(operation), sigv4(operation, input));
const tableCustomers = generateCustomers(500, { agentEvery: 4 });
const tableName = "bench-list-latency";
const itemCount = await createCustomerTable(client, lib, tableName, tableCustomers);
const table = new lib.DynamoCustomerDirectory({ client: sender, tableName });
const mirror = lib.createJsonDirectory(tableCustomers);
const dynamoRows = [];
async function counted(name, call, check) {
  const before = { commands: commands.length, http: dynamo.counter.requests };
  const result = await call(table);
  const row = { name, commands: commands.slice(before.commands), http: dynamo.counter.requests - before.http, result };
  const expected = check ? await call(mirror) : undefined;
  row.sameAsJson = check ? JSON.stringify(check(result)) === JSON.stringify(check(expected)) : undefined;
  dynamoRows.push(row);
  return result;
}
const ids = (page) => ({ ids: page.customers.map((c) => c.customer_id), next: Boolean(page.nextPageToken) });
const p1 = await counted("first page", (d) => d.list({ worker: "Agent@Example.com", pageSize: PAGE }), ids);
const p2 = await counted(
  "page 2 by NextPageToken",
  (d) => d.list({ worker: AGENT, pageSize: PAGE, pageToken: p1.nextPageToken }),
  ids,
);
const p3 = await counted(
  "page 3 by Anchor (last id of page 2)",
  (d) => d.list({ worker: AGENT, pageSize: PAGE, anchor: p2.customers.at(-1).customer_id }),
  ids,
);
let last = p3;
for (let n = 4; last.nextPageToken; n++) {
  const token = last.nextPageToken;
  last = await counted(
    `page ${n} by NextPageToken`,
    (d) => d.list({ worker: AGENT, pageSize: PAGE, pageToken: token }),
    ids,
  );
}
const s1 = await counted(
  'search "a", PageSize 10, first page',
  (d) => d.list({ worker: AGENT, pageSize: 10, query: "a" }),
  ids,
);
if (s1.nextPageToken)
  await counted(
    'search "a", PageSize 10, page 2 by token',
    (d) => d.list({ worker: AGENT, pageSize: 10, query: "a", pageToken: s1.nextPageToken }),
    ids,
  );
await counted(
  'search "a", PageSize 10, by Anchor',
  (d) => d.list({ worker: AGENT, pageSize: 10, query: "a", anchor: s1.customers.at(-1).customer_id }),
  ids,
);
await counted("unknown worker (empty page)", (d) => d.list({ worker: "nobody@example.com", pageSize: PAGE }), ids);
await counted(
  "GetCustomerDetailsByCustomerId: getById",
  (d) => d.getById(tableCustomers[8].customer_id),
  (c) => c?.customer_id,
);
await counted(
  "routing lookup: findByAddress",
  (d) => d.findByAddress(tableCustomers[8].channels[0].value),
  (c) => c?.customer_id,
);
// The same through the adapter: one signed GetCustomersList, one DynamoDB request.
const appOnTable = adapterApp(table);
await counted("signed GetCustomersList through the adapter", async (d) => {
  if (d !== table) return undefined;
  const answer = await lib.handleRequest(
    lib.fromApiGatewayEvent(
      apiGatewayEvent({
        baseUrl: BASE_URL,
        path: crm.path,
        params: { Location: "GetCustomersList", Worker: AGENT, PageSize: "30" },
        authToken: AUTH_TOKEN,
      }),
    ),
    appOnTable,
  );
  if (answer.status !== 200) throw new Error(`adapter on table answered ${answer.status}`);
  const { customers, next_page_token: nextPageToken } = JSON.parse(answer.body).objects;
  return { customers, nextPageToken };
});
client.destroy();
await dynamo.close();

printTable(
  `DynamoDB store on dynalite: requests per call (${tableCustomers.length} customers, ${itemCount} items; the agent owns ${tableCustomers.filter((c) => c.worker.toLowerCase() === AGENT).length}); counted at the store's client (operations) and at the server (HTTP requests)`,
  ["call", "commands", "HTTP requests", "rows", "next token", "same rows as JSON store"],
  dynamoRows.map((r) => [
    r.name,
    r.commands.length ? `${r.commands.length} (${[...new Set(r.commands)].join(", ")})` : "0",
    r.http,
    r.result?.customers ? r.result.customers.length : (r.result?.statusCode ?? (r.result ? 1 : 0)),
    r.result?.customers ? (r.result.nextPageToken ? "yes" : "no") : "",
    r.sameAsJson === undefined ? "" : r.sameAsJson ? "yes" : "NO",
  ]),
);

const targets = [];
const smallest = SIZES[0];
const largest = SIZES.at(-1);
for (const name of caseNames) {
  const a = json[smallest].cases[name];
  const b = json[largest].cases[name];
  // A narrow search returns more rows in a bigger directory: that is more answer, not a slower lookup.
  if (!a || !b || a.rows !== b.rows) continue;
  targets.push({
    target: `JSON list() "${name}": p50 at ${largest / 1000}k ≤ ${FACTOR}× p50 at ${smallest / 1000}k (+${SLACK_US} µs)`,
    value: `${fmt(a.store.median, 2)} → ${fmt(b.store.median, 2)} µs (p99 ${fmt(a.store.p99, 1)} → ${fmt(b.store.p99, 1)})`,
    pass: b.store.median <= FACTOR * a.store.median + SLACK_US,
  });
}
for (const r of dynamoRows) {
  // Every call is one request, an unknown (but well-formed) worker included: its empty page is one Query.
  targets.push({
    target: `DynamoDB: ${r.name} = exactly 1 request`,
    value: `${r.http} HTTP, ${r.commands.length} command(s)${r.sameAsJson === false ? ", rows DIFFER from JSON store" : ""}`,
    pass: r.http === 1 && r.commands.length === 1 && r.sameAsJson !== false,
  });
}
printTable(
  "Targets",
  ["target", "measured", "result"],
  targets.map((t) => [t.target, t.value, t.pass ? "PASS" : "FAIL"]),
);
// Condensed for run-all.
const jsonTargets = targets.filter((t) => t.target.startsWith("JSON"));
const ratios = caseNames
  .filter(
    (n) =>
      json[smallest].cases[n] && json[largest].cases[n] && json[smallest].cases[n].rows === json[largest].cases[n].rows,
  )
  .map((n) => [n, json[largest].cases[n].store.median / json[smallest].cases[n].store.median]);
const [worstCase, worstRatio] = ratios.reduce((a, b) => (b[1] > a[1] ? b : a));
const dynamoFailures = dynamoRows.filter((r) => !(r.http === 1 && r.commands.length === 1 && r.sameAsJson !== false));
const signedFirst = (s) => json[s].cases["first page"]?.adapter;
const summary = [
  {
    target: `JSON store list() p50 independent of size: ${largest / 1000}k ≤ 2× ${smallest / 1000}k + 2 µs (${jsonTargets.length} cases with equal rows)`,
    value: `first page ${fmt(json[smallest].cases["first page"].store.median, 2)} → ${fmt(json[largest].cases["first page"].store.median, 2)} µs; worst ratio ${fmt(worstRatio, 2)}× (${worstCase})`,
    pass: jsonTargets.every((t) => t.pass),
  },
  {
    target: "(info) full signed path, first page, p50/p99 at each size",
    value: SIZES.map((s) => `${s / 1000}k ${fmt(signedFirst(s).median, 1)}/${fmt(signedFirst(s).p99, 1)} µs`).join(
      ", ",
    ),
    pass: null,
  },
  {
    target: `DynamoDB store: exactly 1 request per call (${dynamoRows.length} calls: pages by token, anchor, search)`,
    value: dynamoFailures.length ? dynamoFailures.map((r) => `${r.name}: ${r.http}`).join("; ") : "1 each",
    pass: dynamoFailures.length === 0,
  },
];
writeResult("list-latency", {
  sizes: SIZES,
  iterations: ITERATIONS,
  json,
  dynamo: dynamoRows.map(({ result, ...r }) => r),
  targets,
  summary,
  machine,
});
