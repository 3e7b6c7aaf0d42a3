// npm run test:engine -- the Twilio-only project (examples/twilio-account) under the real Pulumi
// engine, against the Twilio emulator, with a file backend and passphrase secrets in a temp folder.
//
// Two modes, chosen by what the machine has (or forced with --mode=project|inline):
// - project: a `pulumi` on PATH with its Node.js language host. The CLI runs the example as a
//   project, in its directory, exactly as a user's `pulumi up` does (language host included).
// - inline: otherwise. The Pulumi CLI pinned in tools/pulumi-engine/ (built into the user cache
//   by scripts/engine-build.mjs when Go is available), or a PATH `pulumi` without a language host,
//   drives the same program run inside this Node process through the Automation API's inline
//   program. The engine, step order, previews, refresh, state and secrets are the CLI's own; the
//   Node.js language host is not exercised.
//
// Not part of `npm test` (vitest only collects test/**/*.test.ts): it needs a Pulumi CLI or Go.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "twilio-account");
const REPRODUCE = "npm run test:engine";

const failures = [];
function check(ok, message) {
  if (!ok) {
    failures.push(message);
    console.log(`  FAIL ${message}`);
  }
  return ok;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The CLI looks for its language hosts next to itself and on PATH. */
function languageHostFor(cli) {
  const beside = path.join(path.dirname(fs.realpathSync(cli)), "pulumi-language-nodejs");
  return fs.existsSync(beside) ? beside : onPath("pulumi-language-nodejs");
}

async function chooseEngine(forced) {
  const cli = onPath("pulumi");
  if (cli) {
    const host = languageHostFor(cli);
    if (host && forced !== "inline")
      return { mode: "project", cli, why: `pulumi on PATH (${cli}) with its Node.js language host (${host})` };
    if (forced === "project") throw new Error(`--mode=project needs pulumi-language-nodejs next to ${cli} or on PATH`);
    return {
      mode: "inline",
      cli,
      why: `pulumi on PATH (${cli}), ${host ? "inline forced" : "no Node.js language host beside it or on PATH"}`,
    };
  }
  if (forced === "project") throw new Error("--mode=project needs a pulumi on PATH with its Node.js language host");
  const { ensureEngine } = await import("../../scripts/engine-build.mjs");
  const built = ensureEngine({ log: (line) => console.log(line) });
  return {
    mode: "inline",
    cli: built.bin,
    cached: true,
    why: "no pulumi on PATH: the CLI pinned in tools/pulumi-engine/, from the user cache",
  };
}

const changeCount = (ops) =>
  Object.entries(ops ?? {}).reduce((n, [op, count]) => (op === "same" ? n : n + (count ?? 0)), 0);
const opsText = (ops) =>
  Object.entries(ops ?? {})
    .filter(([, count]) => count)
    .map(([op, count]) => `${op} ${count}`)
    .join(", ");
const shortType = (type) => type.replace(/^pulumi-nodejs:dynamic\/twilio:/, "");

/** Every file under dir (backups and history included), read as text. */
function filesUnder(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const bytes = fs.readFileSync(file);
      const text = file.endsWith(".gz")
        ? require("node:zlib").gunzipSync(bytes).toString("utf8")
        : bytes.toString("utf8");
      return { file: path.relative(dir, file), text };
    });
}

async function main() {
  const forced = (process.argv.find((arg) => arg.startsWith("--mode=")) ?? "").slice("--mode=".length) || undefined;
  if (forced && forced !== "inline" && forced !== "project")
    throw new Error(`--mode must be project or inline, got ${forced}`);
  const engine = await chooseEngine(forced);

  // The program (inline) and the emulator are TypeScript: ts-node registered the way the CLI's
  // Node.js host registers it for this project (its tsconfig.json, which maps `./x.js` onto .ts).
  require("ts-node").register({ project: path.join(EXAMPLE, "tsconfig.json"), transpileOnly: true });
  const auto = require("@pulumi/pulumi/automation");
  const yaml = require("js-yaml");
  const { startTwilioEmulator } = require("../../dev/twilio-emulator/index.ts");
  const project = yaml.load(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "frontline-engine-"));
  const stateDir = path.join(tmp, "state");
  fs.mkdirSync(stateDir);
  const stackName = `engine${process.pid}`;
  const passphrase = `engine-test-${process.pid}`;
  const emulator = await startTwilioEmulator();
  const stackFileInExample = path.join(EXAMPLE, `Pulumi.${stackName}.yaml`);
  let stack;
  const rows = [];

  try {
    const SMS = "+15551230001";
    emulator.addPhoneNumber(SMS);
    const serviceSid = emulator.addConversationService("Frontline Service");
    // An account someone already set up by hand: destroy must put these back, not clear them.
    emulator.setServiceWebhooks(serviceSid, { preWebhookUrl: "https://old.example.com/hook", method: "POST" });
    const before = emulator.snapshot({ dates: false });

    const env = {
      // Everything the CLI would otherwise reach over the network, or keep outside the temp folder.
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_HOME: path.join(tmp, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      TWILIO_API_BASE_URL: emulator.baseUrl,
    };
    console.log(`Mode: ${engine.mode} -- ${engine.why}`);
    if (engine.mode === "inline") {
      console.log(
        "  The program runs in this Node process through the Automation API's inline program; the CLI runs the engine, " +
          "the dynamic-provider host, the file backend and the secrets. The Node.js language host is NOT exercised in this mode.",
      );
      // The dynamic-provider plugin ships in @pulumi/pulumi (a CLI release bundles it next to itself).
      env.PATH = `${path.join(ROOT, "node_modules", "@pulumi", "pulumi")}${path.delimiter}${process.env.PATH}`;
    } else {
      console.log(
        "  The CLI runs examples/twilio-account as a project (pulumi up in its directory, language host included).",
      );
      if (!fs.existsSync(path.join(EXAMPLE, "node_modules"))) {
        console.log(
          "  examples/twilio-account has no node_modules of its own (npm ci there): the CLI sees the repository's instead.",
        );
      }
    }
    console.log(`State, config and CLI home in ${tmp} (deleted at the end; KEEP_ENGINE_TMP=1 keeps it)`);

    // A built CLI sits at <root>/bin/pulumi; a PATH one is found by name.
    const pulumiCommand = await auto.PulumiCommand.get(
      engine.cached ? { root: path.dirname(path.dirname(engine.cli)) } : {},
    );
    const versionLine = spawnSync(pulumiCommand.command, ["version"], {
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    console.log(`Pulumi CLI ${versionLine.stdout.trim()} at ${pulumiCommand.command}`);

    const phase = async (name, fn, summarize) => {
      emulator.clearRequests();
      const events = [];
      const started = Date.now();
      const result = await fn((event) => events.push(event));
      const ms = Date.now() - started;
      const reads = emulator.requests.filter((request) => request.method === "GET").length;
      const writes = emulator.writeCount();
      const ops = summarize ? summarize(result) : undefined;
      rows.push({ name, changes: ops ? changeCount(ops) : 0, ops: ops ? opsText(ops) : "", reads, writes, ms });
      return { result, events, reads, writes, ops };
    };
    const steps = (events) =>
      events
        .filter((event) => event.resourcePreEvent?.metadata.type.startsWith("pulumi-nodejs:dynamic/"))
        .map((event) => event.resourcePreEvent.metadata);
    // A step's outcome (a refresh step starts as "refresh" and ends "same" or "update").
    const changed = (events) =>
      events
        .filter((event) => event.resOutputsEvent?.metadata.type.startsWith("pulumi-nodejs:dynamic/"))
        .map((event) => event.resOutputsEvent.metadata)
        .filter((step) => step.op !== "same");
    // Dynamic providers report that something changed, not what: the CLI's diff display compares the
    // old and new properties, and so does this.
    const fieldsChanged = (step, side) => {
      const older = step.old?.[side] ?? {};
      const newer = step.new?.[side] ?? {};
      return [...new Set([...Object.keys(older), ...Object.keys(newer)])]
        .filter((key) => key !== "__provider" && JSON.stringify(older[key]) !== JSON.stringify(newer[key]))
        .sort();
    };

    // stack init: the project's own directory (project mode) or a temp work dir holding the
    // project settings the Automation API writes (inline mode).
    const workspaceOptions = { pulumiCommand, envVars: env, secretsProvider: "passphrase" };
    await phase("stack init", async () => {
      if (engine.mode === "project") {
        stack = await auto.LocalWorkspace.createStack({ stackName, workDir: EXAMPLE }, workspaceOptions);
      } else {
        const workDir = path.join(tmp, "project");
        fs.mkdirSync(workDir);
        // The project directory's node_modules, as a user's project has: the dynamic-provider host
        // starts there and resolves @pulumi/pulumi and the providers' `twilio` from it.
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(workDir, "node_modules"), "dir");
        const { twilioAccountProgram } = require(path.join(EXAMPLE, "program.ts"));
        const { main: _main, ...settings } = project;
        stack = await auto.LocalWorkspace.createStack(
          { stackName, projectName: project.name, program: async () => twilioAccountProgram() },
          { ...workspaceOptions, workDir, projectSettings: settings },
        );
      }
    });

    const BASE_A = "https://frontline.example.com";
    const BASE_B = "https://frontline-b.example.com";
    const hookPath = "/callbacks/twilio-conversations";
    await phase("config set", () =>
      stack.setAllConfig({
        "twilio:accountSid": { value: emulator.accountSid },
        "twilio:authToken": { value: emulator.authToken, secret: true },
        conversationsServiceSid: { value: serviceSid },
        smsNumber: { value: SMS },
        callbackBaseUrl: { value: BASE_A },
      }),
    );
    const stackConfigFile =
      engine.mode === "project" ? stackFileInExample : path.join(tmp, "project", `Pulumi.${stackName}.yaml`);
    const stackConfigText = fs.readFileSync(stackConfigFile, "utf8");
    check(
      !stackConfigText.includes(emulator.authToken),
      `the stack config file ${path.basename(stackConfigFile)} holds the token in plain text`,
    );
    check(
      /authToken:\s*\n\s*secure:/.test(stackConfigText),
      "the stack config file stores twilio:authToken as `secure:` ciphertext",
    );

    const preview1 = await phase(
      "preview --diff",
      (onEvent) => stack.preview({ diff: true, onEvent }),
      (r) => r.changeSummary,
    );
    check(preview1.writes === 0, `preview made ${preview1.writes} Twilio writes, expected 0`);
    check(
      preview1.ops.create === 7,
      `first preview: expected 7 creates (stack, component, 5 Twilio resources), got ${opsText(preview1.ops)}`,
    );
    check(
      !preview1.result.stdout.includes("__provider"),
      "preview --diff prints __provider, the serialized provider code",
    );

    const up1 = await phase(
      "up",
      (onEvent) => stack.up({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(up1.ops.create === 7, `first up: expected 7 creates, got ${opsText(up1.ops)}`);
    const createOrder = steps(up1.events).map((step) => shortType(step.type));
    const before_ = (a, b) => createOrder.indexOf(a) !== -1 && createOrder.indexOf(a) < createOrder.indexOf(b);
    check(
      before_("MessagingService", "SenderPoolEntry"),
      `create order: MessagingService before SenderPoolEntry (${createOrder.join(" > ")})`,
    );
    check(
      before_("SenderPoolEntry", "ConversationsDefaults"),
      `create order: SenderPoolEntry before ConversationsDefaults (${createOrder.join(" > ")})`,
    );
    check(
      before_("ServiceWebhooks", "AddressConfiguration"),
      `create order: ServiceWebhooks before AddressConfiguration (${createOrder.join(" > ")})`,
    );
    check(
      before_("ConversationsDefaults", "AddressConfiguration"),
      `create order: ConversationsDefaults before AddressConfiguration (${createOrder.join(" > ")})`,
    );
    // The account as Twilio would answer it; the webhook URLs appear nowhere else in it.
    const webhookUrl = () => emulator.snapshot({ dates: false });
    check(webhookUrl().includes(`${BASE_A}${hookPath}`), `after up the service webhooks point at ${BASE_A}${hookPath}`);

    const noop = await phase(
      "up (no-op)",
      (onEvent) => stack.up({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(changeCount(noop.ops) === 0, `no-op up: expected 0 changes, got ${opsText(noop.ops)}`);
    check(noop.writes === 0, `no-op up made ${noop.writes} Twilio writes, expected 0`);

    await stack.setConfig("callbackBaseUrl", { value: BASE_B });
    const preview2 = await phase(
      "preview --diff (config)",
      (onEvent) => stack.preview({ diff: true, onEvent }),
      (r) => r.changeSummary,
    );
    const planned = changed(preview2.events);
    check(
      planned.length === 1 && shortType(planned[0].type) === "ServiceWebhooks" && planned[0].op === "update",
      `config change: expected exactly one update, of ServiceWebhooks; got ${planned.map((s) => `${s.op} ${shortType(s.type)}`).join(", ") || "none"}`,
    );
    const fields = planned[0] ? fieldsChanged(planned[0], "inputs") : [];
    check(
      JSON.stringify(fields) === JSON.stringify(["postWebhookUrl", "preWebhookUrl"]),
      `config change: expected the diff to be exactly postWebhookUrl, preWebhookUrl (both follow callbackBaseUrl); got ${fields.join(", ")}`,
    );
    const diffLines = preview2.result.stdout.split("\n").filter((line) => /^\s+[~+-] /.test(line) || /=>/.test(line));
    console.log(`preview --diff after \`pulumi config set callbackBaseUrl ${BASE_B}\`:\n${diffLines.join("\n")}`);
    check(
      diffLines.some((line) => line.includes(`${BASE_A}${hookPath}`) && line.includes(`${BASE_B}${hookPath}`)),
      "preview --diff text shows the webhook URL changing from the old to the new callbackBaseUrl",
    );
    check(!preview2.result.stdout.includes("__provider"), "preview --diff of the config change prints __provider");
    check(preview2.writes === 0, `preview made ${preview2.writes} Twilio writes, expected 0`);

    const up2 = await phase(
      "up (config)",
      (onEvent) => stack.up({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(up2.ops.update === 1 && changeCount(up2.ops) === 1, `config up: expected 1 update, got ${opsText(up2.ops)}`);
    check(up2.writes === 1, `config up: expected 1 Twilio write (the webhooks), got ${up2.writes}`);
    check(
      webhookUrl().includes(`${BASE_B}${hookPath}`),
      `after the config up the webhooks point at ${BASE_B}${hookPath}`,
    );

    const refresh1 = await phase(
      "refresh",
      (onEvent) => stack.refresh({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(
      changeCount(refresh1.ops) === 0,
      `refresh with nothing changed: expected 0 changes, got ${opsText(refresh1.ops)}`,
    );
    check(refresh1.writes === 0, `refresh made ${refresh1.writes} Twilio writes, expected 0`);

    // A release with new provider code, for a stack deployed with the old: the state's __provider
    // is made older, and the next up must carry the new code without touching Twilio, while the
    // preview shows the update without printing provider code. (CLI 3.274 leaves `__provider` out
    // of the display with or without the component's hideDiffs; this holds whichever does it.)
    const older = await stack.exportStack();
    const MARK = "/* provider code of an older release */";
    let aged = 0;
    for (const resource of older.deployment.resources ?? []) {
      if (!resource.type.endsWith(":ServiceWebhooks")) continue;
      for (const side of ["inputs", "outputs"]) {
        if (typeof resource[side]?.__provider === "string") {
          resource[side].__provider += MARK;
          aged += 1;
        }
      }
    }
    check(
      aged === 2,
      `the state holds ServiceWebhooks' provider code as text in its inputs and outputs (${aged} found)`,
    );
    await stack.importStack(older);
    const preview3 = await phase(
      "preview --diff (provider)",
      (onEvent) => stack.preview({ diff: true, onEvent }),
      (r) => r.changeSummary,
    );
    const upgraded = changed(preview3.events);
    check(
      upgraded.length === 1 && shortType(upgraded[0].type) === "ServiceWebhooks" && upgraded[0].op === "update",
      `provider code change: expected one update, of ServiceWebhooks; got ${upgraded.map((s) => `${s.op} ${shortType(s.type)}`).join(", ") || "none"}`,
    );
    check(
      !preview3.result.stdout.includes(MARK) && !preview3.result.stdout.includes("__provider"),
      "preview --diff of a provider code change prints the provider code",
    );
    const up4 = await phase(
      "up (provider)",
      (onEvent) => stack.up({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(
      up4.ops.update === 1 && changeCount(up4.ops) === 1,
      `up with new provider code: expected 1 update, got ${opsText(up4.ops)}`,
    );
    check(up4.writes === 0, `up with new provider code made ${up4.writes} Twilio writes, expected 0`);
    check(!JSON.stringify(await stack.exportStack()).includes(MARK), "after up the state holds the new provider code");

    // Someone edits the webhook in the Console, behind Pulumi's back.
    const DRIFT = "https://someone-else.example.com/hook";
    emulator.setServiceWebhooks(serviceSid, { preWebhookUrl: DRIFT });
    const refresh2 = await phase(
      "refresh (drift)",
      (onEvent) => stack.refresh({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(
      refresh2.ops.update === 1 && changeCount(refresh2.ops) === 1,
      `refresh after drift: expected 1 update, got ${opsText(refresh2.ops)}`,
    );
    const drifted = changed(refresh2.events);
    check(
      drifted.length === 1 && shortType(drifted[0].type) === "ServiceWebhooks",
      `refresh after drift: expected ServiceWebhooks to change, got ${drifted.map((step) => shortType(step.type)).join(", ")}`,
    );
    const driftFields = drifted[0] ? fieldsChanged(drifted[0], "outputs") : [];
    check(
      JSON.stringify(driftFields) === '["preWebhookUrl"]',
      `refresh after drift: expected preWebhookUrl to change in state, got ${driftFields.join(", ")}`,
    );
    const exported = JSON.stringify(await stack.exportStack());
    check(exported.includes(DRIFT), "after refresh the state holds the drifted webhook URL");

    const up3 = await phase(
      "up (repair)",
      (onEvent) => stack.up({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(
      up3.ops.update === 1 && changeCount(up3.ops) === 1,
      `up after drift: expected 1 update, got ${opsText(up3.ops)}`,
    );
    check(
      !webhookUrl().includes(DRIFT) && webhookUrl().includes(`${BASE_B}${hookPath}`),
      `up after drift restores ${BASE_B}${hookPath}`,
    );

    const destroy = await phase(
      "destroy",
      (onEvent) => stack.destroy({ onEvent }),
      (r) => r.summary.resourceChanges,
    );
    check(destroy.ops.delete === 7, `destroy: expected 7 deletes, got ${opsText(destroy.ops)}`);
    const deleteOrder = steps(destroy.events).map((step) => shortType(step.type));
    console.log(`Step order: create ${createOrder.join(" > ")}; delete ${deleteOrder.join(" > ")}`);
    const deletedBefore = (a, b) => deleteOrder.indexOf(a) !== -1 && deleteOrder.indexOf(a) < deleteOrder.indexOf(b);
    check(
      deletedBefore("AddressConfiguration", "ServiceWebhooks"),
      `delete order: AddressConfiguration before ServiceWebhooks (${deleteOrder.join(" > ")})`,
    );
    check(
      deletedBefore("SenderPoolEntry", "MessagingService"),
      `delete order: SenderPoolEntry before MessagingService (${deleteOrder.join(" > ")})`,
    );
    const after = emulator.snapshot({ dates: false });
    check(after === before, "after destroy the account equals the snapshot taken before the first up");

    // The project needs no provider plugin: one installed means the CLI found a Pulumi package (AWS)
    // among the project's dependencies.
    const pluginDir = path.join(env.PULUMI_HOME, "plugins");
    const plugins = fs.existsSync(pluginDir) ? fs.readdirSync(pluginDir).filter((name) => !name.endsWith(".lock")) : [];
    check(plugins.length === 0, `the CLI installed plugins for a project that needs none: ${plugins.join(", ")}`);

    // Secrets at rest: every file the backend wrote (checkpoints, backups, history), not only the
    // current checkpoint. The scan must have something to find: the messaging service SID created
    // by the first up is in the history.
    const files = filesUnder(stateDir);
    const leaks = files.filter((entry) => entry.text.includes(emulator.authToken)).map((entry) => entry.file);
    const history = files.filter((entry) => /history|backups/.test(entry.file));
    check(history.length >= 5, `the state folder has backups/history to scan (${history.length} files)`);
    check(
      files.some((entry) => entry.text.includes('"secrets_providers"') || entry.text.includes("passphrase")),
      "the state names the passphrase secrets provider",
    );
    check(leaks.length === 0, `the token is in plain text in: ${leaks.join(", ")}`);
    console.log(
      `State folder: ${files.length} files (${history.length} backups/history), ${files.reduce((n, f) => n + f.text.length, 0)} bytes scanned; token in plain text: ${leaks.length ? "YES" : "no"}`,
    );
  } finally {
    await emulator.close();
    try {
      if (stack) await stack.workspace.removeStack(stackName, { force: true });
    } catch {
      // The temp folder holding the backend goes below anyway.
    }
    fs.rmSync(stackFileInExample, { force: true });
    if (process.env.KEEP_ENGINE_TMP !== "1") fs.rmSync(tmp, { recursive: true, force: true });
    printTable(rows);
  }
}

function printTable(rows) {
  if (rows.length === 0) return;
  const header = ["phase", "changes", "Twilio reads", "writes", "wall"];
  const body = rows.map((row) => [
    row.name,
    row.ops ? `${row.changes} (${row.ops})` : String(row.changes),
    String(row.reads),
    String(row.writes),
    `${(row.ms / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i].length)));
  const line = (cells) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
  console.log("");
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const cells of body) console.log(line(cells));
  console.log(
    `Changes count resource steps other than "same" (the stack and the component included). Reproduce: ${REPRODUCE}`,
  );
}

main().then(
  () => {
    if (failures.length > 0) {
      console.log(`\nengine test FAILED: ${failures.length} assertion(s)\n  - ${failures.join("\n  - ")}`);
      process.exit(1);
    }
    console.log("\nengine test passed: every phase and assertion above held");
  },
  (error) => {
    console.error(`\nengine test FAILED: ${error?.stack ? error.stack : error}`);
    process.exit(1);
  },
);
