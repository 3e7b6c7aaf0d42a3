// `npm start`, spawn to first answer: ours against a stand-in for the Express reference's start
// path, in the same run, interleaved. "First answer" = a signed GetCustomersList POST answered 200;
// the request is sent as soon as the server prints its listening line.
//
// The reference (there is none in this repository and no internet): bench/.out/express-reference/,
// built here from npm packages, modelled on Twilio's Frontline quickstart service (Express): its
// `npm start` runs `node src/index.js`, which requires express and twilio at start, creates the
// twilio REST client, parses form bodies with express.urlencoded, validates signatures with
// twilio.webhook(), and serves the five callbacks from in-memory customers.
//
// usage: npx node bench/npm-start.mjs [--runs=10]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import {
  argValue,
  fmt,
  NODE,
  OUT,
  printMachine,
  printReproduce,
  printTable,
  ROOT,
  signedPost,
  summarize,
  writeResult,
} from "./lib/common.mjs";

const RUNS = Number(argValue("runs", 10));
const EXPRESS = "4.21.2";
const TWILIO = JSON.parse(readFileSync(join(ROOT, "node_modules/twilio/package.json"), "utf8")).version;
const ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
const AUTH_TOKEN = "f".repeat(32);
const WORKER = "alice@example.com";

console.log("# npm-start: spawn to first answer, ours vs an Express reference");
const machine = printMachine();
printReproduce(import.meta.url);

// ---- The reference project

const REF = join(OUT, "express-reference");
const REF_INDEX = `// Stand-in for the Frontline quickstart's start path (Express): written by bench/npm-start.mjs.
const express = require("express");
const twilio = require("twilio");

const customers = require("./customers.json");
const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const app = express();
app.use(express.urlencoded({ extended: false }));
const webhook = twilio.webhook({ validate: true });

app.post("/callbacks/crm", webhook, (req, res) => {
  const location = req.body.Location;
  if (location === "GetCustomersList") {
    const worker = String(req.body.Worker || "").toLowerCase();
    const size = Math.min(Number(req.body.PageSize) || 30, 100);
    const mine = customers.filter((c) => c.worker.toLowerCase() === worker).slice(0, size);
    return res.send({ objects: { customers: mine.map((c) => ({ customer_id: c.customer_id, display_name: c.display_name, avatar: c.avatar })) } });
  }
  if (location === "GetCustomerDetailsByCustomerId") {
    const customer = customers.find((c) => c.customer_id === req.body.CustomerId);
    return customer ? res.send({ objects: { customer } }) : res.status(404).send({});
  }
  res.status(422).send();
});
app.post("/callbacks/outgoing-conversation", webhook, (req, res) => res.send({ proxy_address: process.env.TWILIO_SMS_NUMBER }));
app.post("/callbacks/templates", webhook, (req, res) => res.send([]));
app.post("/callbacks/routing", webhook, async (req, res) => {
  res.sendStatus(200);
  client.conversations.v1.conversations(req.body.ConversationSid).participants.create({ identity: "${WORKER}" }).catch(() => {});
});
app.post("/callbacks/twilio-conversations", webhook, (req, res) => res.sendStatus(200));

const server = app.listen(Number(process.env.PORT || 5001), "127.0.0.1", () => {
  console.log("Application started at http://127.0.0.1:" + server.address().port);
});
`;

function prepareReference() {
  mkdirSync(join(REF, "src"), { recursive: true });
  const pkg = {
    name: "express-reference",
    private: true,
    scripts: { start: "node src/index.js" },
    dependencies: { express: EXPRESS, twilio: TWILIO },
  };
  writeFileSync(join(REF, "package.json"), JSON.stringify(pkg, null, 2));
  writeFileSync(join(REF, "src/index.js"), REF_INDEX);
  writeFileSync(join(REF, "src/customers.json"), readFileSync(join(ROOT, "lambda/customers/demo-customers.json")));
  const installed = (name) => {
    try {
      return JSON.parse(readFileSync(join(REF, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return undefined;
    }
  };
  if (installed("express") !== EXPRESS || installed("twilio") !== TWILIO) {
    console.log(
      `Installing the reference's dependencies (express ${EXPRESS}, twilio ${TWILIO}) into bench/.out/express-reference ...`,
    );
    const npm = spawnSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--loglevel=error"],
      { cwd: REF, stdio: "inherit" },
    );
    if (npm.status !== 0)
      throw new Error("npm install for the Express reference failed (the npm registry must be reachable once)");
  }
}
prepareReference();

// ---- One start

// Both `npm start`s run on the Node this script runs on (22): npm takes `node` from PATH.
const PATH = `${dirname(NODE)}:${process.env.PATH}`;
const demoWorker = JSON.parse(readFileSync(join(ROOT, "lambda/customers/demo-customers.json"), "utf8"))[0].worker;

function startOnce(cwd, ready) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("npm", ["start", "--silent"], {
      cwd,
      env: {
        ...process.env,
        PATH,
        PORT: "0",
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_SMS_NUMBER: "+15551230001",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    let err = "";
    let sent = false;
    let readyMs;
    const finish = (result, error) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      child.once("exit", () => (error ? reject(error) : resolve(result)));
      if (child.exitCode !== null || child.signalCode !== null) error ? reject(error) : resolve(result);
    };
    const timer = setTimeout(() => finish(undefined, new Error(`${cwd}: no answer in 30 s\n${out}\n${err}`)), 30_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      const port = ready.exec(out)?.[1];
      if (!port || sent) return;
      sent = true;
      readyMs = performance.now() - t0;
      const url = `http://127.0.0.1:${port}/callbacks/crm`;
      const { body, headers } = signedPost(AUTH_TOKEN, url, {
        Location: "GetCustomersList",
        Worker: demoWorker,
        PageSize: "30",
      });
      const req = request(
        url,
        { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => {
            const answerMs = performance.now() - t0;
            if (res.statusCode !== 200)
              return finish(undefined, new Error(`${cwd}: first answer ${res.statusCode} ${text.slice(0, 200)}`));
            finish({ readyMs, answerMs, customers: JSON.parse(text).objects.customers.length });
          });
        },
      );
      req.on("error", (e) => finish(undefined, e));
      req.end(body);
    });
  });
}

const OURS = {
  name: "ours: npm start (node scripts/build.mjs start -> dist/dev/server.mjs)",
  cwd: ROOT,
  ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
};
const REFERENCE = {
  name: `reference: npm start (node src/index.js; express ${EXPRESS} + twilio ${TWILIO})`,
  cwd: REF,
  ready: /Application started at http:\/\/127\.0\.0\.1:(\d+)/,
};

// Warm the file cache and make sure our bundle is current (the first start after a change rebuilds it).
await startOnce(OURS.cwd, OURS.ready);
await startOnce(REFERENCE.cwd, REFERENCE.ready);

const samples = { ours: [], reference: [] };
for (let run = 0; run < RUNS; run++) {
  samples.ours.push(await startOnce(OURS.cwd, OURS.ready));
  samples.reference.push(await startOnce(REFERENCE.cwd, REFERENCE.ready));
}
// For information: a start right after a source file changed (the bundle is rebuilt first).
const touched = join(ROOT, "lambda/handlers/crm.ts");
const now = new Date();
utimesSync(touched, now, now);
const rebuild = await startOnce(OURS.cwd, OURS.ready);
const afterRebuild = await startOnce(OURS.cwd, OURS.ready);

const ours = summarize(samples.ours.map((s) => s.answerMs));
const reference = summarize(samples.reference.map((s) => s.answerMs));
const ratio = ours.median / reference.median;
console.log(
  `\n${RUNS} starts each, interleaved; ms from spawning \`npm start\` (npm ${spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim()}, node ${process.version}).`,
);
console.log(
  `Reference: ${REFERENCE.name.replace(/^reference: /, "")}, in bench/.out/express-reference: a stand-in for the Frontline quickstart's start path`,
);
console.log(
  "  (express and twilio required at start, the twilio client created, urlencoded body parsing, twilio.webhook() validation, five routes).",
);
printTable(
  "Spawn to first answer (signed GetCustomersList, 200)",
  ["server", "listening median", "first answer median", "first answer p90", "min", "max"],
  [
    [
      OURS.name,
      fmt(summarize(samples.ours.map((s) => s.readyMs)).median),
      fmt(ours.median),
      fmt(ours.p90),
      fmt(ours.min),
      fmt(ours.max),
    ],
    [
      REFERENCE.name,
      fmt(summarize(samples.reference.map((s) => s.readyMs)).median),
      fmt(reference.median),
      fmt(reference.p90),
      fmt(reference.min),
      fmt(reference.max),
    ],
    [
      "ours, first start after a source change (rebuilds the bundle)",
      fmt(rebuild.readyMs),
      fmt(rebuild.answerMs),
      "-",
      "-",
      "-",
    ],
    ["ours, the start after that", fmt(afterRebuild.readyMs), fmt(afterRebuild.answerMs), "-", "-", "-"],
  ],
);
const targets = [
  {
    target: "npm start, spawn to first answer ≤ 1.0x the Express reference's (median)",
    value: `${fmt(ratio, 2)}x (${fmt(ours.median)} vs ${fmt(reference.median)} ms)`,
    pass: ratio <= 1.0,
  },
];
printTable(
  "Targets",
  ["target", "measured", "result"],
  targets.map((t) => [t.target, t.value, t.pass ? "PASS" : "FAIL"]),
);
writeResult("npm-start", { runs: RUNS, ours, reference, ratio, rebuild, targets, summary: targets, machine });
