// The load generator, in its own process (pinned to the other core by the caller): autocannon, with
// every response time also kept at full resolution (autocannon's own histogram has 1 ms steps).
// usage: node bench/lib/load.mjs '<json: {url, method, headers, body, connections, warmupSeconds, durationSeconds, amount, overallRate}>'
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");
const autocannon = createRequire(join(root, "package.json"))("autocannon");
const config = JSON.parse(process.argv[2]);

function run(options, keep) {
  return new Promise((resolve, reject) => {
    const times = [];
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, times })));
    if (keep) instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
}

const base = {
  url: config.url,
  method: config.method ?? "POST",
  headers: config.headers,
  body: config.body,
  connections: config.connections ?? 10,
  pipelining: 1,
  timeout: 5,
  ...(config.overallRate ? { overallRate: config.overallRate } : {}),
};
if (config.warmupSeconds) await run({ ...base, duration: config.warmupSeconds }, false);
const { result, times } = await run(
  config.amount ? { ...base, amount: config.amount } : { ...base, duration: config.durationSeconds ?? 10 },
  true,
);
times.sort((a, b) => a - b);
const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.max(0, Math.ceil(p * times.length) - 1))] : NaN);
console.log(
  JSON.stringify({
    requests: result.requests.total,
    durationSeconds: result.duration,
    reqPerSec: result.requests.total / result.duration,
    reqPerSecAvg: result.requests.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    autocannonLatencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    latencyMs: { n: times.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: times.at(-1) },
  }),
);
