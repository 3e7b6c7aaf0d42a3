// Diagnostic: where the local server's CPU goes per request, native code and kernel included, which
// node --cpu-prof cannot see (it files JSON.stringify, UTF-8 encoding and the socket write under
// whichever JS or native frame happens to be on top). Runs our server and the bare server at the same
// fixed rate (server on CPU 0, autocannon on CPU 1), records each with `perf record -g` for a few
// seconds, and groups the samples by kind of work. Needs `perf` (root or perf_event_paranoid ≤ 1).
//
// usage: npx node bench/server-perf.mjs [--no-build] [--rate=10000] [--seconds=3]
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import {
  argFlag,
  argValue,
  buildDevServer,
  cpuMsOf,
  fmt,
  generateCustomers,
  NODE,
  OUT,
  pinned,
  printMachine,
  printReproduce,
  printTable,
  runProcess,
  sleep,
  writeJson,
} from "./lib/common.mjs";
import { serverEnv, startCrmServer } from "./lib/crm-server.mjs";

const RATE = Number(argValue("rate", 10_000));
const SECONDS = Number(argValue("seconds", 3));
const CATEGORIES = [
  ["kernel (TCP loopback, syscalls, scheduling)", /\[k\]/],
  ["JSON.stringify", /JsonStringifier|JsonString/],
  ["string UTF-8 encode/length", /WriteUtf8|Utf8Length|Utf8/],
  ["HMAC-SHA1 / OpenSSL", /sha1|SHA1|HMAC|EVP_|ossl_|libcrypto|OPENSSL|CRYPTO_/],
  ["GC", /Scaveng|MarkCompact|Heap::|GCTracer|Sweeper|Marking|Evacuat|RememberedSet|Builtins_RecordWrite/],
  ["HTTP parser (llhttp)", /llhttp/],
  ["regexp", /RegExp|irregexp|Regexp/],
  ["malloc/free/memcpy", /malloc|free|memmove|memcpy|memset|_int_/],
  ["JS (JIT-compiled functions)", /JS:|\[JIT\]|LazyCompile|\.mjs:|node:/],
  ["V8 builtins, ICs, runtime", /Builtins_|v8::/],
  ["libuv / node C++", /uv_|node::/],
];

console.log("# server-perf: per-request CPU by kind of work (perf record), ours vs bare at the same rate");
printMachine();
printReproduce(import.meta.url);
if (!argFlag("no-build")) await buildDevServer();
const env = serverEnv(writeJson("perf-customers.json", generateCustomers(2_500)));

async function record(kind, argv, startEnv) {
  const { server, url, headers, body } = await startCrmServer(argv, { env: startEnv, cpu: 0 });
  try {
    const probe = await fetch(url, { method: "POST", headers, body });
    const bytes = Buffer.from(await probe.arrayBuffer());
    const load = runProcess(
      pinned(1, [
        NODE,
        "bench/lib/load.mjs",
        JSON.stringify({ url, headers, body, connections: 10, durationSeconds: SECONDS + 4, overallRate: RATE }),
      ]),
      { timeoutMs: 60_000 },
    );
    await sleep(2500);
    const data = join(OUT, `perf-${kind}.data`);
    const cpu0 = cpuMsOf(server.pid);
    const t0 = performance.now();
    await runProcess(["perf", "record", "-q", "-o", data, "-p", String(server.pid), "--", "sleep", String(SECONDS)], {
      timeoutMs: 60_000,
    });
    const cpuMs = cpuMsOf(server.pid) - cpu0;
    const requests = RATE * ((performance.now() - t0) / 1000);
    const result = JSON.parse((await load).stdout.trim().split("\n").at(-1));
    const report = execFileSync(
      "perf",
      ["report", "-i", data, "--no-children", "--sort", "sym", "-q", "-g", "none", "--percent-limit", "0"],
      { encoding: "utf8", maxBuffer: 1e8, stdio: ["ignore", "pipe", "ignore"] },
    );
    const shares = new Map();
    const symbols = [];
    for (const line of report.split("\n")) {
      const m = /^\s*([\d.]+)%\s+(.*)$/.exec(line);
      if (!m) continue;
      const pct = Number(m[1]);
      const cat = CATEGORIES.find(([, re]) => re.test(m[2]))?.[0] ?? "other";
      shares.set(cat, (shares.get(cat) ?? 0) + pct);
      symbols.push([m[2].trim(), pct]);
    }
    return {
      kind,
      bytes,
      achieved: result.reqPerSec,
      usPerRequest: (cpuMs * 1000) / requests,
      shares,
      symbols,
      status: probe.status,
    };
  } finally {
    await server.stop();
  }
}

const ours = await record("ours", [NODE, "--perf-basic-prof", "dist/dev/server.mjs"], env);
const bodyFile = writeJson("perf-answer.json", JSON.parse(ours.bytes.toString("utf8")));
const bare = await record("bare", [NODE, "--perf-basic-prof", "bench/lib/bare-server.mjs", bodyFile], { PORT: "0" });
const cats = [...new Set([...ours.shares.keys(), ...bare.shares.keys()])].sort(
  (a, b) => (ours.shares.get(b) ?? 0) - (ours.shares.get(a) ?? 0),
);
const us = (m, cat) => ((m.shares.get(cat) ?? 0) / 100) * m.usPerRequest;
printTable(
  `Server CPU per request by kind of work, at ${RATE} req/s (ours achieved ${Math.round(ours.achieved)}, bare ${Math.round(bare.achieved)}); µs/request = share of perf samples × the process's CPU per request (${fmt(ours.usPerRequest, 1)} ours, ${fmt(bare.usPerRequest, 1)} bare)`,
  ["kind of work", "ours %", "ours µs/req", "bare µs/req", "extra µs/req"],
  cats.map((c) => [
    c,
    fmt(ours.shares.get(c) ?? 0, 1),
    fmt(us(ours, c), 1),
    fmt(us(bare, c), 1),
    fmt(us(ours, c) - us(bare, c), 1),
  ]),
);
printTable(
  "Ours: top 25 symbols",
  ["symbol", "share %", "µs/req"],
  ours.symbols.slice(0, 25).map(([s, p]) => [s.slice(0, 110), fmt(p, 2), fmt((p / 100) * ours.usPerRequest, 2)]),
);
console.log(`\nperf data: ${join(OUT, "perf-ours.data")}, ${join(OUT, "perf-bare.data")} (perf report -i <file>)`);
