// Summarizes a V8 .cpuprofile (from node --cpu-prof): self time by function and by source group,
// so a report can say what costs what per request.
import { readFileSync } from "node:fs";
import { printTable } from "./common.mjs";

function groupOf(url, name) {
  if (!url) return name === "(garbage collector)" ? "GC" : name.startsWith("(") ? name : "native/builtin";
  if (url.startsWith("node:"))
    return url
      .replace(/^node:internal\//, "node:")
      .split("/")
      .slice(0, 2)
      .join("/");
  if (url.includes("/dist/dev/server.mjs")) return "server.mjs (ours)";
  if (url.includes("/node_modules/")) return url.slice(url.lastIndexOf("/node_modules/") + 14).split("/")[0];
  return url;
}

export function summarizeProfile(file, { requests = 0, top = 20, print = true } = {}) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Every sample weighs the median sampling interval. Raw timeDeltas are not used: on a shared
  // machine the profiler thread is sometimes descheduled, and one late sample would then carry tens of
  // milliseconds onto whatever function it happened to land in.
  const sortedDeltas = Float64Array.from(profile.timeDeltas).sort();
  const interval = sortedDeltas[sortedDeltas.length >> 1] || 1000;
  const self = new Map();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + interval);
  const totalUs = profile.samples.length * interval;
  const byFunction = new Map();
  const byGroup = new Map();
  for (const [id, us] of self) {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const short = url ? `${url.split("/").slice(-1)[0]}:${lineNumber + 1}` : "";
    const key = `${name} ${short}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const group = groupOf(url, name);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  }
  // Inclusive ("total") time: every distinct function on the sampled stack gets the sample's time.
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at).callFrame;
      if (functionName === "(root)" || functionName === "(idle)" || functionName === "(program)") continue;
      const key =
        `${functionName || "(anonymous)"} ${url ? `${url.split("/").slice(-1)[0]}:${lineNumber + 1}` : ""}`.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const idleUs = [...byFunction].filter(([k]) => k.startsWith("(idle)")).reduce((a, [, v]) => a + v, 0);
  const busyUs = totalUs - idleUs;
  const rows = (map) =>
    [...map]
      .filter(([k]) => !k.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, ((us / busyUs) * 100).toFixed(1) + "%", requests ? (us / requests).toFixed(2) : "-"]);
  const groups = rows(byGroup);
  const functions = rows(byFunction);
  const totals = rows(inclusive);
  if (print) {
    console.log(
      `\nCPU profile: ${(busyUs / 1000).toFixed(0)} ms busy of ${(totalUs / 1000).toFixed(0)} ms sampled${requests ? `, ≈${(busyUs / requests).toFixed(1)} µs busy per request` : ""}`,
    );
    printTable("Self time by source", ["source", "share of busy", "µs/request"], groups);
    printTable(`Self time by function (top ${top})`, ["function", "share of busy", "µs/request"], functions);
    printTable(`Inclusive time by function (top ${top})`, ["function", "share of busy", "µs/request"], totals);
  }
  return { busyUs, totalUs, intervalUs: interval, samples: profile.samples.length, groups, functions, totals };
}

if (import.meta.url === `file://${process.argv[1]}`)
  summarizeProfile(process.argv[2], { requests: Number(process.argv[3] ?? 0), top: Number(process.argv[4] ?? 30) });
