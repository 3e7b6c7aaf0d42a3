// RSS of the local server process (dist/dev/server.mjs with the bundled demo customers, no
// CUSTOMERS_FILE) right after it listens and after a short burst of signed requests, against a bare
// node:http server measured in the same run the same way. VmRSS from /proc/<pid>/status.
//
// usage: npx node bench/memory.mjs [--no-build] [--rounds=3] [--burst=2000]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  argFlag,
  argValue,
  buildDevServer,
  fmt,
  mb,
  NODE,
  OUT,
  pinned,
  printMachine,
  printReproduce,
  printTable,
  rssOf,
  runProcess,
  sleep,
  summarize,
  writeResult,
} from "./lib/common.mjs";
import { serverEnv, startCrmServer } from "./lib/crm-server.mjs";

const ROUNDS = Number(argValue("rounds", 3));
const BURST = Number(argValue("burst", 2000));
const SETTLE_MS = 500;
const DEMO_WORKER = "alice@example.com";

console.log("# memory: RSS of the local server (demo data) vs a bare node:http server, same run");
const machine = printMachine();
printReproduce(import.meta.url);
if (!argFlag("no-build")) await buildDevServer();

const env = serverEnv();

async function sample(kind, argv, startEnv) {
  const { server, url, headers, body } = await startCrmServer(argv, { env: startEnv, cpu: 0, worker: DEMO_WORKER });
  try {
    await sleep(SETTLE_MS);
    const atStart = rssOf(server.pid);
    const probe = await fetch(url, { method: "POST", headers, body });
    const bytes = Buffer.from(await probe.arrayBuffer());
    if (probe.status !== 200) throw new Error(`${kind}: probe answered ${probe.status}: ${bytes}`);
    const { stdout } = await runProcess(
      pinned(1, [NODE, "bench/lib/load.mjs", JSON.stringify({ url, headers, body, connections: 10, amount: BURST })]),
      { timeoutMs: 60_000 },
    );
    const load = JSON.parse(stdout.trim().split("\n").at(-1));
    if (load.non2xx || load.errors)
      throw new Error(`${kind}: burst had ${load.non2xx} non-2xx and ${load.errors} errors`);
    await sleep(SETTLE_MS);
    const afterBurst = rssOf(server.pid);
    return { atStart, afterBurst, bytes };
  } finally {
    await server.stop();
  }
}

const runs = { ours: [], bare: [] };
let bodyFile;
for (let round = 0; round < ROUNDS; round++) {
  const ours = await sample("ours", [NODE, "dist/dev/server.mjs"], env);
  if (bodyFile === undefined) {
    bodyFile = join(OUT, "memory-answer.json");
    writeFileSync(bodyFile, ours.bytes);
  }
  runs.ours.push(ours);
  runs.bare.push(await sample("bare", [NODE, "bench/lib/bare-server.mjs", bodyFile], { PORT: "0" }));
}

const med = (list, pick) => summarize(list.map(pick)).median;
const figures = {};
for (const kind of ["ours", "bare"]) {
  figures[kind] = {
    startKb: med(runs[kind], (r) => r.atStart.rssKb),
    burstKb: med(runs[kind], (r) => r.afterBurst.rssKb),
    hwmKb: med(runs[kind], (r) => r.afterBurst.hwmKb),
    startAll: runs[kind].map((r) => r.atStart.rssKb),
    burstAll: runs[kind].map((r) => r.afterBurst.rssKb),
  };
}
const deltaStart = (figures.ours.startKb - figures.bare.startKb) / 1024;
const deltaBurst = (figures.ours.burstKb - figures.bare.burstKb) / 1024;
console.log(
  `\nEach server started ${ROUNDS}× (alternating), pinned to CPU 0; RSS read ${SETTLE_MS} ms after 'listening' and ${SETTLE_MS} ms after a burst of ${BURST} signed GetCustomersList (10 connections, autocannon on CPU 1). Medians; MB = MiB.`,
);
printTable(
  "Resident set size (VmRSS)",
  [
    "server",
    "after start MB",
    "after burst MB",
    "peak (VmHWM) MB",
    "after start, each run (MB)",
    "after burst, each run (MB)",
  ],
  [
    [
      "ours: dist/dev/server.mjs, demo data",
      mb(figures.ours.startKb),
      mb(figures.ours.burstKb),
      mb(figures.ours.hwmKb),
      figures.ours.startAll.map(mb).join(" "),
      figures.ours.burstAll.map(mb).join(" "),
    ],
    [
      "bare: node:http, fixed bytes",
      mb(figures.bare.startKb),
      mb(figures.bare.burstKb),
      mb(figures.bare.hwmKb),
      figures.bare.startAll.map(mb).join(" "),
      figures.bare.burstAll.map(mb).join(" "),
    ],
    ["ours − bare", fmt(deltaStart), fmt(deltaBurst), fmt((figures.ours.hwmKb - figures.bare.hwmKb) / 1024), "", ""],
  ],
);
const targets = [
  { target: "RSS after start ≤ bare + 8 MB", value: `+${fmt(deltaStart)} MB`, pass: deltaStart <= 8 },
  {
    target: "RSS after burst ≤ bare + 8 MB (same bar, after load)",
    value: `+${fmt(deltaBurst)} MB`,
    pass: deltaBurst <= 8,
  },
];
printTable(
  "Targets",
  ["target", "measured", "result"],
  targets.map((t) => [t.target, t.value, t.pass ? "PASS" : "FAIL"]),
);
writeResult("memory", {
  figures,
  deltaStartMb: deltaStart,
  deltaBurstMb: deltaBurst,
  targets,
  machine,
  rounds: ROUNDS,
  burst: BURST,
});
