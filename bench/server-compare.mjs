// Warm throughput of the local server now against the same server built at an earlier commit, and
// both against the bare node:http ceiling, in one run: the three servers take turns (pinned to
// CPU 0, the load generator to CPU 1), each round a fixed number of signed GetCustomersList
// requests (PageSize=30) over 10 keep-alive connections. Reports req/s and the server's CPU time
// per request; CPU per request moves least when other jobs share the machine.
//
// usage: npx node bench/server-compare.mjs [--ref=<git revision, default HEAD~1>] [--rounds=4] [--requests=20000]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  argValue,
  cpuMsOf,
  fmt,
  generateCustomers,
  HAS_TASKSET,
  NODE,
  OUT,
  pinned,
  printMachine,
  printReproduce,
  printTable,
  runProcess,
  summarize,
  writeJson,
  writeResult,
} from "./lib/common.mjs";
import { serverEnv, startCrmServer } from "./lib/crm-server.mjs";

const REF = argValue("ref", "HEAD~1");
const ROUNDS = Number(argValue("rounds", 4));
const REQUESTS = Number(argValue("requests", 20_000));

console.log("# server-compare: the local server now vs at an earlier commit vs a bare node:http server");
const machine = printMachine();
printReproduce(import.meta.url);
if (!HAS_TASKSET) console.log("WARNING: taskset is missing; processes are NOT pinned");

// The earlier server: its sources from `git archive` into bench/.out/, built by its
// own build script (node_modules resolve from the repository root above it).
const rev = (await runProcess(["git", "rev-parse", "--short", REF])).stdout.trim();
const refDir = join(OUT, `server-ref-${rev}`);
rmSync(refDir, { recursive: true, force: true });
mkdirSync(refDir, { recursive: true });
// What the build needs, as far as the revision has it (build/ and contract/ came later).
const SOURCES = ["build", "contract", "dev", "lambda", "scripts", "tsconfig.json", "package.json"];
const present = new Set((await runProcess(["git", "ls-tree", "--name-only", rev])).stdout.split("\n"));
const sources = SOURCES.filter((p) => present.has(p)).join(" ");
await runProcess(["sh", "-c", `git archive ${rev} ${sources} | tar -x -C '${refDir}'`]);
await runProcess([NODE, "scripts/build.mjs", "dev"], { cwd: refDir });
await runProcess([NODE, "scripts/build.mjs", "dev"]);
const head = (await runProcess(["git", "rev-parse", "--short", "HEAD"])).stdout.trim();
const dirty = (await runProcess(["git", "status", "--porcelain", "--", ...SOURCES])).stdout.trim()
  ? "+uncommitted"
  : "";

const env = serverEnv(writeJson("compare-customers.json", generateCustomers(2_500)));
const bodyFile = join(OUT, "compare-answer.json");
const servers = [
  { name: `now (${head}${dirty})`, argv: [NODE, "dist/dev/server.mjs"] },
  { name: `before (${rev})`, argv: [NODE, join(refDir, "dist/dev/server.mjs")] },
  { name: "bare node:http, fixed bytes", argv: [NODE, "bench/lib/bare-server.mjs", bodyFile] },
];

async function round(server) {
  const { server: running, url, headers, body } = await startCrmServer(server.argv, { env, cpu: 0 });
  try {
    const load = (amount) =>
      runProcess(
        pinned(1, [NODE, "bench/lib/load.mjs", JSON.stringify({ url, headers, body, connections: 10, amount })]),
      );
    await load(Math.round(REQUESTS / 4)); // warm-up
    const before = cpuMsOf(running.pid);
    const result = JSON.parse((await load(REQUESTS)).stdout.trim().split("\n").at(-1));
    const cpuUs = ((cpuMsOf(running.pid) - before) * 1000) / result.requests;
    if (result.non2xx || result.errors)
      throw new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { reqPerSec: result.reqPerSec, cpuUs, p99: result.latencyMs.p99 };
  } finally {
    await running.stop();
  }
}

// The bare server answers the exact bytes ours answers.
{
  const { server: probe, url, headers, body } = await startCrmServer(servers[0].argv, { env });
  const answer = await fetch(url, { method: "POST", headers, body });
  writeFileSync(bodyFile, Buffer.from(await answer.arrayBuffer()));
  await probe.stop();
  if (answer.status !== 200) throw new Error(`probe answered ${answer.status}`);
}

const samples = servers.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order so no server always runs first or last in a round.
  for (let k = 0; k < servers.length; k++) {
    const i = (r + k) % servers.length;
    samples[i].push(await round(servers[i]));
  }
}
const med = (i, key) => summarize(samples[i].map((s) => s[key])).median;
const bare = { rps: med(2, "reqPerSec"), cpu: med(2, "cpuUs") };
printTable(
  `${ROUNDS} rounds of ${REQUESTS} requests per server, interleaved; medians (every round below)`,
  ["server", "req/s", "share of bare req/s", "server CPU µs/request", "p99 ms"],
  servers.map((s, i) => [
    s.name,
    fmt(med(i, "reqPerSec"), 0),
    `${fmt((100 * med(i, "reqPerSec")) / bare.rps, 0)}%`,
    fmt(med(i, "cpuUs"), 1),
    fmt(med(i, "p99"), 2),
  ]),
);
printTable(
  "Every round",
  ["round", ...servers.map((s) => `${s.name}: req/s, CPU µs/req`)],
  samples[0].map((_, r) => [
    r + 1,
    ...servers.map((_, i) => `${fmt(samples[i][r].reqPerSec, 0)}, ${fmt(samples[i][r].cpuUs, 1)}`),
  ]),
);
const shareNow = med(0, "reqPerSec") / bare.rps;
const shareBefore = med(1, "reqPerSec") / bare.rps;
const targets = [
  {
    target: "warm throughput no lower than before, as a share of the bare ceiling in the same run",
    value: `${fmt(100 * shareNow, 0)}% now vs ${fmt(100 * shareBefore, 0)}% before; CPU/request ${fmt(med(0, "cpuUs"), 1)} vs ${fmt(med(1, "cpuUs"), 1)} µs`,
    pass: shareNow >= shareBefore * 0.97,
  },
];
console.log("(within 3% counts as no lower: rounds on this shared machine vary by more than that)");
printTable(
  "Targets",
  ["target", "measured", "result"],
  targets.map((t) => [t.target, t.value, t.pass ? "PASS" : "FAIL"]),
);
writeResult("server-compare", {
  ref: rev,
  rounds: ROUNDS,
  requests: REQUESTS,
  samples,
  targets,
  summary: targets,
  machine,
});
