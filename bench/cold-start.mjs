// Cold start of each Lambda bundle (dist/lambda/<callback>/index.mjs, built by `npm run build`) in
// fresh Node 22 processes: bundle size, which modules load at import, import time beyond an empty
// start (timed inside the child), whole-process wall time against `node -e ""`, and import plus the
// first handled request (a signed API Gateway v2 event; SSM, DynamoDB (dynalite) and Twilio (the
// emulator) on loopback), so work moved from import into the first call still shows.
//
// usage: npx node bench/cold-start.mjs [--no-build] [--runs=15] [--ref=<git revision>]
//   --ref: measure the bundles as built at an earlier commit (e.g. before a fix) instead of the working tree.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  AGENT,
  apiGatewayEvent,
  argFlag,
  argValue,
  buildLambda,
  fmt,
  generateCustomers,
  kb,
  NODE,
  OUT,
  printMachine,
  printReproduce,
  printTable,
  ROOT,
  runProcess,
  summarize,
  writeResult,
} from "./lib/common.mjs";
import {
  createCustomerTable,
  dynamoClient,
  loadProjectLib,
  startDynalite,
  startEmulator,
  startFakeSsm,
} from "./lib/services.mjs";

const RUNS = Number(argValue("runs", 15));
const SIZE_LIMIT = 150 * 1024;
const IMPORT_LIMIT_MS = 25;
const BASE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com";
const PARAMETER = "/frontline-stack/bench/twilio-auth-token";
const TABLE = "bench-cold-start";
const CALLBACKS = ["crm", "outgoing-conversation", "templates", "routing", "twilio-conversations"];

console.log("# cold-start: the five Lambda bundles in fresh Node processes");
const machine = printMachine();
printReproduce(import.meta.url);

// ---- Bundles and what they import at the top level

const REF = argValue("ref", undefined);
async function bundlesAt(ref) {
  // The bundles as they were at an earlier commit: lambda/, scripts/, build/ and contract/ from `git archive` (read-only
  // on the repository) into bench/.out/ref-<ref>/, built with that commit's own build script.
  const rev = (await runProcess(["git", "rev-parse", "--short", ref])).stdout.trim();
  const dir = join(OUT, `ref-${rev}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // build/ and contract/ hold what scripts/ requires at later commits; earlier ones have neither.
  const paths = ["lambda", "scripts", "build", "contract", "tsconfig.json"];
  const present = (await runProcess(["git", "ls-tree", "--name-only", rev, ...paths])).stdout
    .split("\n")
    .filter(Boolean);
  await runProcess(["sh", "-c", `git archive ${rev} ${present.join(" ")} | tar -x -C '${dir}'`]);
  const built = await createRequire(import.meta.url)(join(dir, "scripts", "lambda-bundles.cjs")).buildLambdaBundles({
    write: true,
  });
  return {
    rev,
    bundles: built.map(({ callback }) => ({ callback, file: join(dir, "dist", "lambda", callback, "index.mjs") })),
  };
}
const source = REF
  ? await bundlesAt(REF)
  : {
      rev:
        (await runProcess(["git", "rev-parse", "--short", "HEAD"])).stdout.trim() +
        ((await runProcess(["git", "status", "--porcelain", "--", "lambda", "scripts"])).stdout.trim()
          ? "+uncommitted"
          : ""),
      bundles: argFlag("no-build")
        ? CALLBACKS.map((callback) => ({ callback, file: join(ROOT, "dist", "lambda", callback, "index.mjs") }))
        : await buildLambda(),
    };
const bundles = source.bundles;
console.log(
  `Bundles: ${REF ? `built from git ${source.rev} (git archive into bench/.out/ref-${source.rev})` : argFlag("no-build") ? "dist/lambda, not rebuilt by this script (run-all builds it first)" : "built now from the working tree"}; lambda/ + scripts/ at ${source.rev}`,
);
const { readFileSync } = await import("node:fs");
const { createHash } = await import("node:crypto");
for (const b of bundles) {
  const code = readFileSync(b.file, "utf8");
  b.bytes = Buffer.byteLength(code);
  b.sha256 ??= createHash("sha256").update(code).digest("hex");
  // Minified ESM: static imports are the `import ... from"x"` / `import"x"` statements; dynamic ones are import("x").
  b.staticImports = [
    ...new Set([...code.matchAll(/(?:^|[;\s])import\s*(?:[\w$*{][^;]*?from\s*)?["']([^"']+)["']/g)].map((m) => m[1])),
  ];
  b.dynamicImports = [...new Set([...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))];
  b.sdkAtTop = b.staticImports.some((s) => s.startsWith("@aws-sdk/"));
}
printTable(
  "Bundles (minified ESM; static imports run at import, dynamic ones on first use)",
  ["bundle", "bytes", "KB", "sha256", "static imports (top of bundle)", "dynamic import()", "@aws-sdk at import?"],
  bundles.map((b) => [
    b.callback,
    b.bytes,
    kb(b.bytes),
    b.sha256.slice(0, 12),
    b.staticImports.join(" "),
    b.dynamicImports.join(" "),
    b.sdkAtTop ? "YES" : "no",
  ]),
);

// ---- Loopback services the functions call

const lib = await loadProjectLib();
const dynamo = await startDynalite();
const client = await dynamoClient(dynamo.endpoint);
const customers = generateCustomers(400);
const agentCustomers = customers.filter((c) => c.worker.toLowerCase() === AGENT);
await createCustomerTable(client, lib, TABLE, customers);
client.destroy();
const emulator = await startEmulator();
const ssm = await startFakeSsm({ [PARAMETER]: emulator.authToken });
const serviceSid = emulator.addConversationService("Frontline Service");
const childEnv = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_CONFIG_FILE: join(OUT, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(OUT, "no-aws-credentials"),
  AWS_ENDPOINT_URL_SSM: ssm.endpoint,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  PUBLIC_BASE_URL: BASE_URL,
  TWILIO_ACCOUNT_SID: emulator.accountSid,
  TWILIO_AUTH_TOKEN_PARAMETER: PARAMETER,
  CUSTOMERS_TABLE: TABLE,
  TWILIO_API_BASE_URL: emulator.baseUrl,
  CONVERSATIONS_SERVICE_SID: serviceSid,
  TWILIO_SMS_NUMBER: "+15559990000",
  TWILIO_WHATSAPP_NUMBER: "whatsapp:+15559990001",
};
const common = { AccountSid: emulator.accountSid, ChatServiceSid: serviceSid };
const customer = agentCustomers[3];
const sms = customer.channels[0].value;
let participants = 0;

/** A fresh, realistic signed event per run (routing and onParticipantAdded need new Twilio objects each time). */
function eventFor(callback) {
  const sign = (path, params) => apiGatewayEvent({ baseUrl: BASE_URL, path, params, authToken: emulator.authToken });
  switch (callback) {
    case "crm":
      return {
        label: "GetCustomersList PageSize=30",
        event: sign("/callbacks/crm", { Location: "GetCustomersList", Worker: AGENT, PageSize: "30" }),
      };
    case "outgoing-conversation":
      return {
        label: "GetProxyAddress sms",
        event: sign("/callbacks/outgoing-conversation", {
          Location: "GetProxyAddress",
          Worker: AGENT,
          CustomerId: customer.customer_id,
          ChannelType: "sms",
          ChannelValue: sms,
        }),
      };
    case "templates":
      return {
        label: "GetTemplatesByCustomerId",
        event: sign("/callbacks/templates", {
          Location: "GetTemplatesByCustomerId",
          Worker: AGENT,
          CustomerId: customer.customer_id,
        }),
      };
    case "routing": {
      const conversationSid = emulator.addConversation({ serviceSid });
      return {
        label: "routing (adds the worker)",
        event: sign("/callbacks/routing", {
          ...common,
          ConversationSid: conversationSid,
          "MessagingBinding.Address": sms,
          "MessagingBinding.ProxyAddress": "+15559990000",
          MessageSid: "IM" + "0".repeat(32),
        }),
      };
    }
    case "twilio-conversations": {
      const conversationSid = emulator.addConversation({ serviceSid });
      // Twilio allows one binding per address and proxy address: a new proxy address per run.
      const proxy = `+1555888${String(++participants).padStart(4, "0")}`;
      const participantSid = emulator.addParticipant({
        conversationSid,
        address: sms,
        proxyAddress: proxy,
        attributes: "{}",
      });
      return {
        label: "onParticipantAdded (stamps attributes)",
        event: sign("/callbacks/twilio-conversations", {
          ...common,
          EventType: "onParticipantAdded",
          ConversationSid: conversationSid,
          ParticipantSid: participantSid,
          "MessagingBinding.Address": sms,
          "MessagingBinding.ProxyAddress": proxy,
          Attributes: "{}",
          Source: "SDK",
          RoleSid: "RL" + "0".repeat(32),
        }),
      };
    }
  }
  throw new Error(callback);
}

const counts = () => ({ ssm: ssm.counter.requests, dynamo: dynamo.counter.requests, twilio: emulator.requests.length });
async function coldRun(bundle, flags = []) {
  const { label, event } = eventFor(bundle.callback);
  const eventFile = join(OUT, `event-${bundle.callback}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const before = counts();
  const { stdout } = await runProcess([NODE, "bench/lib/cold-child.mjs", bundle.file, eventFile, ...flags], {
    env: childEnv,
    timeoutMs: 30_000,
  });
  const after = counts();
  const result = JSON.parse(stdout.trim().split("\n").at(-1));
  // Both calls (cold + warm) hit the services; the warm one reuses the cached token, so SSM is read once.
  result.calls = {
    ssm: after.ssm - before.ssm,
    dynamo: after.dynamo - before.dynamo,
    twilio: after.twilio - before.twilio,
  };
  result.label = label;
  if (result.firstStatus !== 200)
    throw new Error(`${bundle.callback}: first request answered ${result.firstStatus} ${result.firstBody}`);
  return result;
}

try {
  // Warm the services (spec loading in the emulator, dynalite's first reads) and record module loading once.
  const modules = {};
  for (const b of bundles) modules[b.callback] = await coldRun(b, ["--modules"]);

  const empty = join(OUT, "empty.mjs");
  writeFileSync(empty, "");
  const samples = Object.fromEntries(bundles.map((b) => [b.callback, { child: [], wall: [] }]));
  const baseline = { nodeE: [], emptyMjs: [] };
  // Reference: what a first request pays just to load the SDK clients the runtime ships. Sampled in
  // the same rounds as the bundles, so a load change on this shared machine moves both alike.
  const SDK_PACKAGES = ["@aws-sdk/client-ssm", "@aws-sdk/client-dynamodb"];
  const sdkTimes = Object.fromEntries(SDK_PACKAGES.map((pkg) => [pkg, []]));
  for (let run = 0; run < RUNS; run++) {
    baseline.nodeE.push((await runProcess([NODE, "-e", ""])).wallMs);
    baseline.emptyMjs.push((await runProcess([NODE, empty])).wallMs);
    for (const b of bundles) {
      samples[b.callback].wall.push((await runProcess([NODE, b.file], { env: childEnv })).wallMs);
      samples[b.callback].child.push(await coldRun(b));
    }
    for (const pkg of SDK_PACKAGES) {
      const { stdout } = await runProcess([NODE, "bench/lib/cold-child.mjs", `pkg:${pkg}`], { env: childEnv });
      sdkTimes[pkg].push(JSON.parse(stdout).importMs);
    }
  }
  const sdk = Object.fromEntries(SDK_PACKAGES.map((pkg) => [pkg, summarize(sdkTimes[pkg])]));
  const nodeE = summarize(baseline.nodeE);
  const emptyMjs = summarize(baseline.emptyMjs);
  const rows = [];
  const results = {};
  for (const b of bundles) {
    const s = samples[b.callback];
    const start = summarize(s.child.map((r) => r.startMs));
    const imp = summarize(s.child.map((r) => r.importMs));
    const first = summarize(s.child.map((r) => r.firstMs));
    const total = summarize(s.child.map((r) => r.importMs + r.firstMs));
    const warm = summarize(s.child.map((r) => r.secondMs));
    const wall = summarize(s.wall);
    results[b.callback] = {
      bytes: b.bytes,
      sha256: b.sha256,
      staticImports: b.staticImports,
      dynamicImports: b.dynamicImports,
      sdkAtTop: b.sdkAtTop,
      start,
      import: imp,
      first,
      total,
      warm,
      wall,
      wallOverNodeE: wall.median - nodeE.median,
      calls: s.child[0].calls,
      label: s.child[0].label,
      modules: { atImport: modules[b.callback].atImport, afterFirst: modules[b.callback].afterFirst },
    };
    rows.push(b);
  }
  console.log(
    `\n${RUNS} runs per bundle, interleaved, each a fresh process (${NODE}); children not pinned. ms; median / p90.`,
  );
  printTable(
    "Import (inside the child: performance.now() around await import(bundle); 'empty start' = performance.now() before it)",
    ["bundle", "empty start", "import median", "import p90", "import min", "import max", "CJS modules loaded"],
    rows.map((b) => {
      const r = results[b.callback];
      return [
        b.callback,
        fmt(r.start.median),
        fmt(r.import.median, 2),
        fmt(r.import.p90, 2),
        fmt(r.import.min, 2),
        fmt(r.import.max, 2),
        r.modules.atImport.cjsModules,
      ];
    }),
  );
  printTable(
    `Whole process wall time (spawn to exit, measured by the parent): node <bundle> vs node -e "" (median ${fmt(nodeE.median)}, p90 ${fmt(nodeE.p90)}) and an empty .mjs (median ${fmt(emptyMjs.median)}, p90 ${fmt(emptyMjs.p90)})`,
    ["bundle", "wall median", "wall p90", '− node -e "" (median)', "− empty .mjs (median)"],
    rows.map((b) => {
      const r = results[b.callback];
      return [
        b.callback,
        fmt(r.wall.median),
        fmt(r.wall.p90),
        fmt(r.wall.median - nodeE.median),
        fmt(r.wall.median - emptyMjs.median),
      ];
    }),
  );
  printTable(
    "Cold request: import + first handled request (config read, SSM token, DynamoDB/Twilio calls over node:http), then the same event warm",
    [
      "bundle",
      "event",
      "first median",
      "first p90",
      "import+first median",
      "import+first p90",
      "warm median",
      "HTTP calls, cold+warm together: SSM/DynamoDB/Twilio",
    ],
    rows.map((b) => {
      const r = results[b.callback];
      return [
        b.callback,
        r.label,
        fmt(r.first.median),
        fmt(r.first.p90),
        fmt(r.total.median),
        fmt(r.total.p90),
        fmt(r.warm.median, 2),
        `${r.calls.ssm}/${r.calls.dynamo}/${r.calls.twilio}`,
      ];
    }),
  );
  printTable(
    "Reference: import of an AWS SDK client alone in a fresh process, sampled in the same rounds (what a first request using it pays before any network call)",
    ["package", "import median", "import p90", "runs"],
    Object.entries(sdk).map(([pkg, st]) => [pkg, fmt(st.median), fmt(st.p90), st.n]),
  );
  // Grouped by npm scope (@aws-sdk/*, @smithy/*) so the table stays readable; builtins counted apart.
  const pkgList = (counts) => {
    const grouped = {};
    for (const [name, n] of Object.entries(counts)) {
      if (name === "(bundle)") continue;
      const key = name.startsWith("@") ? name.split("/")[0] + "/*" : name;
      grouped[key] = (grouped[key] ?? 0) + n;
    }
    return (
      Object.entries(grouped)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ×${n}`)
        .join(", ") || "-"
    );
  };
  printTable(
    "Modules resolved, by package scope (module.registerHooks, one extra run per bundle): at import vs during the first request",
    ["bundle", "at import", "during first request"],
    rows.map((b) => [
      b.callback,
      pkgList(modules[b.callback].atImport.resolved),
      pkgList(modules[b.callback].afterFirst.resolved),
    ]),
  );

  const targets = [];
  const ssmImport = sdk["@aws-sdk/client-ssm"].median;
  for (const b of rows) {
    const r = results[b.callback];
    targets.push({ target: `${b.callback}: bundle ≤ 150 KB`, value: `${kb(r.bytes)} KB`, pass: r.bytes <= SIZE_LIMIT });
    targets.push({
      target: `${b.callback}: import + first request ≤ 0.25x import("@aws-sdk/client-ssm") alone (medians, this run)`,
      value: `${fmt(r.total.median / ssmImport, 3)}x (${fmt(r.total.median, 1)} vs ${fmt(ssmImport, 1)} ms)`,
      pass: r.total.median <= 0.25 * ssmImport,
    });
    targets.push({
      target: `${b.callback}: import ≤ 25 ms beyond empty start (median)`,
      value: `${fmt(r.import.median, 1)} ms (p90 ${fmt(r.import.p90, 1)})`,
      pass: r.import.median <= IMPORT_LIMIT_MS,
    });
    targets.push({
      target: `${b.callback}: no @aws-sdk import at the top of the bundle`,
      value: r.sdkAtTop ? b.staticImports.filter((s) => s.startsWith("@aws-sdk")).join(" ") : "none",
      pass: !r.sdkAtTop,
    });
  }
  printTable(
    "Targets",
    ["target", "measured", "result"],
    targets.map((t) => [t.target, t.value, t.pass ? "PASS" : "FAIL"]),
  );
  // Condensed for run-all: one line per target over the five bundles (the worst bundle shown).
  const worst = (pick) =>
    rows.map((b) => [b.callback, pick(results[b.callback])]).reduce((a, b) => (b[1] > a[1] ? b : a));
  const [bigName, bigBytes] = worst((r) => r.bytes);
  const [slowName, slowImport] = worst((r) => r.import.median);
  const [wallName, wallDelta] = worst((r) => r.wallOverNodeE);
  const [coldName, coldTotal] = worst((r) => r.total.median);
  const sdkTop = rows.filter((b) => results[b.callback].sdkAtTop).map((b) => b.callback);
  const summary = [
    { target: "every bundle ≤ 150 KB", value: `largest ${kb(bigBytes)} KB (${bigName})`, pass: bigBytes <= SIZE_LIMIT },
    {
      target: "every bundle: import ≤ 25 ms beyond empty start (median of runs)",
      value: `slowest ${fmt(slowImport, 1)} ms (${slowName}, p90 ${fmt(results[slowName].import.p90, 1)})`,
      pass: slowImport <= IMPORT_LIMIT_MS,
    },
    {
      target: "no bundle imports @aws-sdk at the top",
      value: sdkTop.length ? `at import in: ${sdkTop.join(", ")}` : "none",
      pass: sdkTop.length === 0,
    },
    {
      target: '(info) whole process: node <bundle> − node -e "" (median)',
      value: `largest +${fmt(wallDelta, 1)} ms (${wallName})`,
      pass: null,
    },
    {
      target: 'every bundle: import + first request ≤ 0.25x import("@aws-sdk/client-ssm") alone (medians, same run)',
      value: `slowest ${fmt(coldTotal / ssmImport, 3)}x: ${fmt(coldTotal, 1)} ms (${coldName}) vs ${fmt(ssmImport, 1)} ms; client-dynamodb alone ${fmt(sdk["@aws-sdk/client-dynamodb"].median, 0)} ms`,
      pass: coldTotal <= 0.25 * ssmImport,
    },
  ];
  writeResult(REF ? `cold-start-${source.rev}` : "cold-start", {
    runs: RUNS,
    source: source.rev,
    baseline: { nodeE, emptyMjs },
    sdkImport: sdk,
    results,
    targets,
    summary,
    machine,
  });
} finally {
  await emulator.close();
  await ssm.close();
  await dynamo.close();
}
