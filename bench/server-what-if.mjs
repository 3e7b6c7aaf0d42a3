// Diagnostic for the throughput target: measures changes proposed to the product WITHOUT touching it.
// Each variant is the dev server bundle built by esbuild from the working tree with one source file
// rewritten in memory (exact text replacement; a variant whose text no longer matches is reported as
// "not applicable" and skipped). Same load as server-throughput.mjs: server on CPU 0, autocannon
// (10 connections) on CPU 1; variants alternate over rounds. Two loads per variant and round:
//  - a fixed rate (--rate, default 4,000 req/s, below saturation): the server's CPU time per request
//    (from /proc/<pid>/stat) there is the A/B figure, since at saturation CPU per request moves with
//    the achieved rate, which on this shared machine moves with other people's work;
//  - saturation (as in server-throughput.mjs): req/s and p99, for orientation.
//
// usage: npx node bench/server-what-if.mjs [--rounds=3] [--duration=4] [--rate=4000] [--variants=a,b,...]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  argValue,
  cpuMsOf,
  cpuTimes,
  fmt,
  foreignShare,
  generateCustomers,
  NODE,
  OUT,
  pinned,
  printMachine,
  printReproduce,
  printTable,
  ROOT,
  requireFromRoot,
  runProcess,
  summarize,
  writeJson,
  writeResult,
} from "./lib/common.mjs";
import { serverEnv, startCrmServer } from "./lib/crm-server.mjs";

const ROUNDS = Number(argValue("rounds", 3));
const DURATION = Number(argValue("duration", 4));
const RATE = Number(argValue("rate", 4000));
const WARMUP = 1;

/** file -> [from, to] exact replacements. */
const PATCHES = {
  // dev/server.ts: encode the body once and send bytes. As shipped, Buffer.byteLength scans the string,
  // then node:http concatenates header + body into one string and encodes it again inside writev.
  "send-bytes": {
    "dev/server.ts": [
      [
        `  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
  res.end(response.body);`,
        `  const bytes = Buffer.from(response.body, "utf8");
  res.writeHead(response.status, { ...response.headers, "content-length": bytes.length });
  res.end(bytes);`,
      ],
    ],
  },
  // lambda/http/signature.ts: one HMAC over the URL as received before twilio's validateRequest, which
  // tries removePort(url) first: for any URL carrying a port (the local server's) that is a wasted HMAC.
  "one-hmac": {
    "lambda/http/signature.ts": [
      [
        `import { validateRequest } from "twilio/lib/webhooks/webhooks.js";`,
        `import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js";\nimport { timingSafeEqual } from "node:crypto";`,
      ],
      [
        `    return validateRequest(authToken, signature, url, params as Record<string, string | string[]>);`,
        `    const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params as Record<string, string | string[]>));
    const given = Buffer.from(signature);
    if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
    return validateRequest(authToken, signature, url, params as Record<string, string | string[]>);`,
      ],
    ],
  },
  // lambda/customers/json-store.ts: Array.from({ length }, fn) is a slow way to count to 31.
  "loop-range": {
    "lambda/customers/json-store.ts": [
      [
        `  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);`,
        `  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;`,
      ],
    ],
  },
};
/** "a+b" combines patches (replacement lists of the same file concatenated); "all" is every patch. */
function patchesFor(name) {
  if (name === "as-shipped") return {};
  const parts = name === "all" ? Object.keys(PATCHES) : name.split("+");
  const combined = {};
  for (const part of parts) {
    if (!PATCHES[part])
      throw new Error(`unknown variant ${part}; known: as-shipped, ${Object.keys(PATCHES).join(", ")}, all, a+b`);
    for (const [file, reps] of Object.entries(PATCHES[part])) combined[file] = [...(combined[file] ?? []), ...reps];
  }
  return combined;
}

console.log("# server-what-if: proposed product changes, measured on patched copies of the dev server bundle");
const machine = printMachine();
printReproduce(import.meta.url);

async function buildVariant(name, patches) {
  const esbuild = requireFromRoot("esbuild");
  const problems = [];
  const plugin = {
    name: "what-if",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const rel = args.path.slice(ROOT.length + 1);
        const reps = patches[rel];
        if (!reps) return undefined;
        let text = readFileSync(args.path, "utf8");
        for (const [from, to] of reps) {
          if (!text.includes(from)) problems.push(`${rel}: text to replace not found`);
          text = text.replace(from, to);
        }
        return { contents: text, loader: "ts" };
      });
    },
  };
  const outfile = join(OUT, `what-if-${name}.mjs`);
  // Built as `npm start` builds the dev server, plus the plugin.
  const { devServerBuildOptions } = requireFromRoot("./build/lambda-bundles.cjs");
  await esbuild.build({ ...devServerBuildOptions(), outfile, plugins: [plugin] });
  return { outfile, problems };
}

const names = argValue("variants", "as-shipped,one-hmac,loop-range,send-bytes,one-hmac+loop-range").split(",");
const variants = [];
for (const name of names) {
  const built = await buildVariant(name, patchesFor(name));
  if (built.problems.length) console.log(`  ${name}: not applicable (${built.problems.join("; ")})`);
  else variants.push({ name, file: built.outfile, runs: [] });
}

const env = serverEnv(writeJson("what-if-customers.json", generateCustomers(2_500)));
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) {
    const { server, url, headers, body } = await startCrmServer([NODE, v.file], { env, cpu: 0 });
    try {
      const probe = await fetch(url, { method: "POST", headers, body });
      const answer = await probe.json();
      if (probe.status !== 200 || answer.objects.customers.length !== 30)
        throw new Error(`${v.name}: probe answered ${probe.status}`);
      const run = async (extra) => {
        const cpu0 = cpuMsOf(server.pid);
        const t0 = cpuTimes();
        const { stdout } = await runProcess(
          pinned(1, [
            NODE,
            "bench/lib/load.mjs",
            JSON.stringify({ url, headers, body, connections: 10, durationSeconds: DURATION, ...extra }),
          ]),
          { timeoutMs: (DURATION + 30) * 1000 },
        );
        const cpuMs = cpuMsOf(server.pid) - cpu0;
        const load = JSON.parse(stdout.trim().split("\n").at(-1));
        return {
          reqPerSec: load.reqPerSec,
          p99: load.latencyMs.p99,
          cpuUs: (cpuMs * 1000) / load.requests,
          bad: load.non2xx + load.errors,
          foreign: foreignShare(t0, cpuTimes(), 0, cpuMs),
        };
      };
      await run({ durationSeconds: WARMUP });
      const fixed = await run({ overallRate: RATE });
      const saturated = await run({});
      v.runs.push({
        fixedCpuUs: fixed.cpuUs,
        fixedP99: fixed.p99,
        reqPerSec: saturated.reqPerSec,
        p99: saturated.p99,
        cpuUs: saturated.cpuUs,
        bad: fixed.bad + saturated.bad,
        foreign: Math.max(fixed.foreign, saturated.foreign),
      });
    } finally {
      await server.stop();
    }
  }
}
const base = variants.find((v) => v.name === "as-shipped");
const med = (v, k) => summarize(v.runs.map((r) => r[k])).median;
printTable(
  `Dev server variants, ${ROUNDS} round(s), medians over rounds. At ${RATE} req/s fixed: server CPU µs per request (the A/B figure). At saturation: req/s, p99, CPU µs/req`,
  [
    "variant",
    `CPU µs/req @${RATE}/s`,
    "vs as-shipped",
    "each round",
    "sat. req/s",
    "sat. p99 ms",
    "sat. CPU µs/req",
    "errors+non-2xx",
    "others' CPU on cpu0",
  ],
  variants.map((v) => [
    v.name,
    fmt(med(v, "fixedCpuUs"), 1),
    base && v !== base
      ? `${fmt(med(v, "fixedCpuUs") - med(base, "fixedCpuUs"), 1)} µs (${fmt(((med(v, "fixedCpuUs") - med(base, "fixedCpuUs")) / med(base, "fixedCpuUs")) * 100, 0)}%)`
      : "",
    v.runs.map((r) => fmt(r.fixedCpuUs, 0)).join(" / "),
    Math.round(med(v, "reqPerSec")),
    fmt(med(v, "p99"), 2),
    fmt(med(v, "cpuUs"), 1),
    v.runs.reduce((a, r) => a + r.bad, 0),
    v.runs.map((r) => `${fmt(r.foreign * 100, 0)}%`).join(" / "),
  ]),
);
writeResult("server-what-if", { variants: variants.map(({ file, ...v }) => v), machine });
