// `npm run bench`: builds once (dist/dev/server.mjs and the five Lambda bundles), runs the four
// benchmarks in sequence, each in its own process, then prints every target with PASS/FAIL.
// Figures are printed, never asserted: this is not part of `npm test`, and the machine is shared.
//
// usage: npm run bench   (or: npx node bench/run-all.mjs [--quick])
//   --quick: shorter runs (5 s load, 5 cold-start runs, 5,000 list iterations) for a smoke check.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { argFlag, buildDevServer, buildLambda, NODE, OUT, printMachine, printTable, ROOT } from "./lib/common.mjs";

const quick = argFlag("quick");
const started = performance.now();
console.log("# Frontline Stack benchmarks (npm run bench)");
printMachine();
console.log(`Reproduce: cd ${ROOT} && npm run bench${quick ? " -- --quick" : ""}`);
console.log(
  "Each benchmark below also prints its own reproduce line; detailed targets are in its section, condensed ones in the summary.",
);

console.log(
  "\nBuilding: node scripts/build.mjs dev (dist/dev/server.mjs) and npm run build (dist/lambda/<callback>/index.mjs)",
);
await buildDevServer();
for (const b of await buildLambda())
  console.log(
    `  dist/lambda/${b.callback}/index.mjs  ${(b.bytes / 1024).toFixed(1)} KB  sha256 ${b.sha256.slice(0, 16)}`,
  );

const benches = [
  ["server-throughput", quick ? ["--duration=5", "--warmup=1"] : []],
  ["memory", quick ? ["--rounds=1"] : []],
  ["cold-start", quick ? ["--runs=5"] : []],
  ["list-latency", quick ? ["--iterations=5000"] : []],
  ["npm-start", quick ? ["--runs=3"] : []],
  ["server-compare", quick ? ["--rounds=2", "--requests=5000"] : []],
];
const failures = [];
for (const [name, args] of benches) {
  console.log(`\n${"=".repeat(100)}\n$ npx node bench/${name}.mjs --no-build ${args.join(" ")}\n`);
  const code = await new Promise((resolve) => {
    const child = spawn(NODE, [join("bench", `${name}.mjs`), "--no-build", ...args], { cwd: ROOT, stdio: "inherit" });
    child.once("exit", (c, signal) => resolve(signal ? 128 : c));
  });
  if (code !== 0) failures.push(`${name} exited with ${code}`);
}

const rows = [];
for (const [name] of benches) {
  let result;
  try {
    result = JSON.parse(readFileSync(join(OUT, "results", `${name}.json`), "utf8"));
  } catch {
    rows.push([name, "(no result)", "-", "FAIL"]);
    continue;
  }
  if (Date.parse(result.at) < Date.now() - (performance.now() - started) - 1000) {
    rows.push([name, "(stale result from an earlier run)", "-", "FAIL"]);
    continue;
  }
  for (const t of result.summary ?? result.targets)
    rows.push([name, t.target, t.value, t.pass === null ? "info" : t.pass ? "PASS" : "FAIL"]);
}
printTable(
  "Summary: each target as in the Benchmarks table of README.md (the project's speed and memory goals)",
  ["benchmark", "target", "measured", "result"],
  rows,
);
const judged = rows.filter((r) => r[3] !== "info");
const failed = judged.filter((r) => r[3] !== "PASS").length;
console.log(
  `\n${judged.length - failed} of ${judged.length} targets met${failures.length ? `; ${failures.join("; ")}` : ""}. Total time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
// Exit 0 on missed targets: benchmarks report, they do not gate. A crashed benchmark is an error.
process.exitCode = failures.length ? 1 : 0;
