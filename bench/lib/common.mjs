// Shared helpers for the benchmarks: machine facts, tables, signing, statistics, child processes,
// generated customers. Plain ESM so Node 22 runs it directly; TypeScript sources are reached only
// through esbuild bundles written to bench/.out/.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const OUT = join(ROOT, "bench", ".out");
export const NODE = process.execPath;
export const requireFromRoot = createRequire(join(ROOT, "package.json"));

mkdirSync(OUT, { recursive: true });

/** Node version, CPU model, cores: printed with every table, since figures only mean something next to them. */
export function machineFacts() {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpu = line.split(":")[1].trim();
  } catch {}
  return {
    node: process.version,
    cpu,
    cores: os.availableParallelism(),
    kernel: `${os.type()} ${os.release()}`,
    loadavg: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" "),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  };
}

export function printMachine() {
  const m = machineFacts();
  console.log(
    `Machine: node ${m.node} | cpu ${m.cpu} | ${m.cores} cores | ${m.kernel} | RAM ${m.memory} | loadavg ${m.loadavg}`,
  );
  return m;
}

/** The command that reproduces this script's figures (run from the repository root). */
export function printReproduce(scriptUrl, args = process.argv.slice(2)) {
  const script = relative(ROOT, fileURLToPath(scriptUrl));
  console.log(
    `Reproduce: cd ${ROOT} && npx node ${script}${args.length ? " " + args.join(" ") : ""}   (Node 22 from the node dev dependency)`,
  );
}

export function printTable(title, headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => String(c ?? "")));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) =>
    "| " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(
    "|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 1) + "-" : "-".repeat(w + 1) + ":")).join("|") + "|",
  );
  for (const r of cells.slice(1)) console.log(line(r));
}

// ---- Twilio request signing, from Twilio's documented algorithm (independent of the product's validator).

export function twilioSignature(authToken, url, pairs) {
  const byName = new Map();
  for (const [name, value] of pairs) {
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name).add(value);
  }
  let data = url;
  for (const name of [...byName.keys()].sort()) for (const value of [...byName.get(name)].sort()) data += name + value;
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function formBody(pairs) {
  return new URLSearchParams(pairs).toString();
}

/** Headers and body of one signed form POST, as Twilio sends it. */
export function signedPost(authToken, url, params) {
  const pairs = Object.entries(params);
  return {
    body: formBody(pairs),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(authToken, url, pairs),
      "user-agent": "TwilioProxy/1.1",
    },
  };
}

/** A real API Gateway HTTP API (payload 2.0) event, signed for `${baseUrl}${path}`. */
export function apiGatewayEvent({ baseUrl, path, params, authToken }) {
  const { body, headers } = signedPost(authToken, `${baseUrl}${path}`, params);
  const host = new URL(baseUrl).host;
  return {
    version: "2.0",
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: {
      ...headers,
      "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
      host,
      "x-forwarded-proto": "https",
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: host,
      domainPrefix: host.split(".")[0],
      http: { method: "POST", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "TwilioProxy/1.1" },
      requestId: "bench",
      routeKey: `POST ${path}`,
      stage: "$default",
      time: "25/Nov/2026:19:00:00 +0000",
      timeEpoch: 1795633200000,
    },
    body,
    isBase64Encoded: false,
  };
}

// ---- Statistics

export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    min: sorted[0],
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
  };
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
export const kb = (bytes) => (bytes / 1024).toFixed(1);
export const mb = (kbytes) => (kbytes / 1024).toFixed(1);

// ---- Results for run-all

export function writeResult(name, result) {
  mkdirSync(join(OUT, "results"), { recursive: true });
  writeFileSync(
    join(OUT, "results", `${name}.json`),
    JSON.stringify({ ...result, machine: machineFacts(), at: new Date().toISOString() }, null, 2),
  );
}

// ---- Processes

export const HAS_TASKSET = spawnSync("taskset", ["-c", "0", "true"]).status === 0;

/** argv prefixed with `taskset -c <cpu>` (taskset execs, so the pid is the program's own). */
export function pinned(cpu, argv) {
  return HAS_TASKSET && cpu !== undefined ? ["taskset", "-c", String(cpu), ...argv] : argv;
}

const children = new Set();
function killAll() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"])
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });

/**
 * Starts a long-running child and waits for a stdout line matching `ready` (with a deadline).
 * stdout/stderr are drained for the child's whole life so a chatty server never blocks on a full pipe.
 */
export async function startProcess(argv, { env = {}, ready, timeoutMs = 15_000, cwd = ROOT } = {}) {
  const child = spawn(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${argv.join(" ")}: not ready in ${timeoutMs} ms\n${out}\n${err}`)),
      timeoutMs,
    );
    child.stdout.on("data", (d) => {
      if (out.length < 100_000) out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(" ")} exited (${code}) before ready\n${out}\n${err}`));
    });
  });
  return {
    child,
    pid: child.pid,
    match,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a child to completion (bounded), collecting stdout; rejects on a non-zero exit. */
export function runProcess(argv, { env = {}, timeoutMs = 120_000, cwd = ROOT, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
    });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err = (err + d).slice(-8000)));
    if (input) child.stdin.end(input);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve({ stdout: out, stderr: err, wallMs });
      else reject(new Error(`${argv.join(" ").slice(0, 300)} failed (${signal ?? code})\n${err}\n${out.slice(-2000)}`));
    });
  });
}

/** VmRSS and VmHWM of a process, in KiB. */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssKb: field("VmRSS"), hwmKb: field("VmHWM") };
}

/** user+system CPU time of a process, in ms. */
export function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // CLK_TCK is 100 on Linux
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Building

const lambdaBundles = () => requireFromRoot("./scripts/lambda-bundles.cjs");

/** `node scripts/build.mjs dev`: dist/dev/server.mjs, what `npm start` runs. */
export async function buildDevServer() {
  await runProcess([NODE, "scripts/build.mjs", "dev"], { timeoutMs: 120_000 });
  return join(ROOT, "dist", "dev", "server.mjs");
}

/** `npm run build`: the five Lambda bundles in dist/lambda/<callback>/index.mjs. */
export async function buildLambda() {
  const built = await lambdaBundles().buildLambdaBundles({ write: true });
  return built.map(({ callback, code, sha256 }) => ({
    callback,
    bytes: code.length,
    sha256,
    file: join(ROOT, "dist", "lambda", callback, "index.mjs"),
  }));
}

export const REQUIRE_SHIM = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/**
 * Bundles a small TypeScript entry (given as source text, resolved from the repository root) into
 * bench/.out/<name>. The repo is CommonJS TypeScript with `.js` specifiers, which esbuild resolves.
 */
export async function bundleTs(name, contents, { format = "esm", external = [], packages } = {}) {
  const esbuild = requireFromRoot("esbuild");
  const outfile = join(OUT, name);
  await esbuild.build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `bench-${name}.ts`, loader: "ts" },
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format,
    target: "node22",
    external,
    ...(packages ? { packages } : {}),
    ...(format === "esm" ? { banner: { js: REQUIRE_SHIM } } : {}),
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

// ---- Generated customers (deterministic)

const FIRST = [
  "Ann",
  "Bob",
  "Carla",
  "Dan",
  "Eve",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "José",
  "Kofi",
  "Lena",
  "Maria",
  "Marta",
  "Mario",
  "Nadia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
  "Uma",
  "Victor",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zoë",
  "Mary-Jane",
  "Li",
];
const LAST = [
  "Smith",
  "Stone",
  "Anders",
  "Annis",
  "Álvarez",
  "Okafor",
  "Nakamura",
  "Müller",
  "Rossi",
  "Kowalski",
  "Haddad",
  "Nguyen",
  "Silva",
  "Johansson",
  "O'Brien",
  "García",
  "Ivanova",
  "Patel",
  "Dubois",
  "Kim",
  "Mensah",
  "Costa",
  "Larsen",
  "Schmidt",
  "Moreau",
];

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const AGENT = "agent@example.com";

/**
 * `count` customers in the Frontline shape. Every `1/agentShare`-th customer belongs to AGENT (in
 * mixed case, as SSO identities arrive); the rest are spread over `otherWorkers` workers.
 */
export function generateCustomers(count, { agentEvery = 10, otherWorkers = 20, seed = 42 } = {}) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const customers = [];
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const id = `C${String(i).padStart(width, "0")}`;
    const phone = `+1555${String(1_000_000 + i).padStart(7, "0")}`;
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const worker =
      i % agentEvery === 0 ? (i % 3 === 0 ? "Agent@Example.com" : AGENT) : `worker${i % otherWorkers}@example.com`;
    const channels = [{ type: "sms", value: phone }];
    if (i % 2 === 0) channels.push({ type: "whatsapp", value: `whatsapp:${phone}` });
    if (i % 5 === 0) channels.push({ type: "email", value: `customer${i}@example.org` });
    customers.push({
      customer_id: id,
      display_name: name,
      worker,
      channels,
      links: [{ type: "CRM", value: `https://crm.example.com/customers/${id}`, display_name: "Open in CRM" }],
      details: {
        title: "Account",
        content: `Customer since ${2010 + (i % 15)}. Plan: ${pick(["Gold", "Silver", "Bronze"])}.`,
      },
      avatar: `https://i.pravatar.cc/150?img=${(i % 70) + 1}`,
    });
  }
  return customers;
}

export function writeJson(name, value) {
  const file = join(OUT, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

export function argFlag(name) {
  return process.argv.includes(`--${name}`);
}

export function argValue(name, fallback) {
  const prefix = `--${name}=`;
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return arg === undefined ? fallback : arg.slice(prefix.length);
}

/** Per-CPU jiffies from /proc/stat: { cpu0: {busy, steal, total}, ... } (busy = user+nice+system, in ms). */
export function cpuTimes() {
  const out = {};
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^(cpu\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].split(/\s+/).map(Number);
    const toMs = (j) => (j * 1000) / 100;
    out[m[1]] = {
      busy: toMs(user + nice + system),
      irq: toMs(irq + softirq),
      steal: toMs(steal),
      total: toMs(user + nice + system + idle + iowait + irq + softirq + steal),
    };
  }
  return out;
}

/**
 * How busy a CPU was with other people's work over a window: its user+system time minus what our
 * own pinned process spent, as a share of the window. The machine is shared; this says how much.
 */
export function foreignShare(before, after, cpu, ownCpuMs) {
  const a = before[`cpu${cpu}`];
  const b = after[`cpu${cpu}`];
  if (!a || !b) return NaN;
  const window = b.total - a.total;
  return window > 0 ? Math.max(0, (b.busy - a.busy - ownCpuMs) / window) : NaN;
}
