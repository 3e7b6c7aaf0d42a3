#!/usr/bin/env node
/**
 * Builds the Pulumi CLI pinned in tools/pulumi-engine/ into a cache folder outside the repository:
 *
 *   ${XDG_CACHE_HOME:-$HOME/.cache}/frontline-stack/pulumi-<version>/bin/pulumi
 *
 * and rebuilds only when the pin changes (the version, or the hash of go.mod, go.sum and tools.go).
 * The build runs under `nice` so it does not starve whatever else the machine is doing.
 *
 * Network: `go build` fetches missing modules from the Go module proxy ($GOPROXY) and nothing else;
 * GOTOOLCHAIN=local stops Go from downloading a newer toolchain because go.mod names one.
 *
 *   node scripts/engine-build.mjs            # build if needed; prints the path, build time and size
 *   node scripts/engine-build.mjs --force    # rebuild even if the cached one matches
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const TOOLS_DIR = join(ROOT, "tools", "pulumi-engine");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
// Without this the binary reports no version, and the Automation API refuses a CLI it cannot date.
const VERSION_VAR = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The pinned release, read from go.mod so the pin lives in one place. */
export function pinnedVersion() {
  const goMod = readFileSync(join(TOOLS_DIR, "go.mod"), "utf8");
  const match = /^require github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)\s*$/m.exec(goMod);
  if (!match)
    throw new Error("tools/pulumi-engine/go.mod must require github.com/pulumi/pulumi/pkg/v3 at a release version");
  return match[1];
}

function pinHash() {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "tools.go"]) hash.update(readFileSync(join(TOOLS_DIR, file)));
  return hash.digest("hex");
}

export function engineCacheDir(version = pinnedVersion()) {
  const base = process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(base, "frontline-stack", `pulumi-${version}`);
}

export function goAvailable() {
  const result = spawnSync("go", ["version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function binaryVersion(bin) {
  const result = spawnSync(bin, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const duration = (ms) =>
  `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;

/**
 * Returns the cached CLI, building it first when the pin changed or it is missing.
 * `log` receives one line per step; the result says whether it was built and what it cost.
 */
export function ensureEngine({ force = false, log = (line) => console.log(line) } = {}) {
  const version = pinnedVersion();
  const dir = engineCacheDir(version);
  const bin = join(dir, "bin", "pulumi");
  const stampFile = join(dir, "stamp.json");
  const stamp = { version, pin: pinHash() };
  if (!force && existsSync(bin) && existsSync(stampFile)) {
    const previous = JSON.parse(readFileSync(stampFile, "utf8"));
    if (previous.version === stamp.version && previous.pin === stamp.pin && binaryVersion(bin) === version) {
      log(`Pulumi CLI ${version}: cached at ${bin} (${mib(statSync(bin).size)}), pin unchanged, not rebuilt`);
      return { bin, version, built: false };
    }
  }

  const go = goAvailable();
  if (!go)
    throw new Error("Building the Pulumi CLI needs Go (https://go.dev/dl/), or put a `pulumi` of your own on PATH");
  log(`Pulumi CLI ${version}: building with ${go} into ${bin} (a cold module cache takes 10-15 minutes)`);
  mkdirSync(dirname(bin), { recursive: true });
  // Built next to its final place and renamed: an interrupted build never leaves a broken binary.
  const partial = `${bin}.partial`;
  rmSync(partial, { force: true });
  const started = Date.now();
  const args = [
    "-n",
    "10",
    "go",
    "build",
    "-trimpath",
    "-ldflags",
    `-X ${VERSION_VAR}=${version}`,
    "-o",
    partial,
    CLI_PACKAGE,
  ];
  const result = spawnSync("nice", args, {
    cwd: TOOLS_DIR,
    stdio: ["ignore", "inherit", "inherit"],
    // -mod=readonly: go.mod and go.sum are complete and pin every hash; a build never edits them, and a
    // missing or changed hash fails instead of being fetched and written into the repository.
    env: {
      ...process.env,
      GOFLAGS: `${process.env["GOFLAGS"] ?? ""} -mod=readonly`.trim(),
      GOTOOLCHAIN: "local",
      GOWORK: "off",
    },
  });
  const ms = Date.now() - started;
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(
      `go build ${CLI_PACKAGE} failed (exit ${result.status ?? result.signal}) after ${duration(ms)}; see the output above`,
    );
  }
  const reported = binaryVersion(partial);
  if (reported !== version) throw new Error(`the built CLI reports version "${reported ?? ""}", expected ${version}`);
  renameSync(partial, bin);
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  const bytes = statSync(bin).size;
  log(`Pulumi CLI ${version}: built in ${duration(ms)}, ${mib(bytes)} at ${bin}`);
  return { bin, version, built: true, ms, bytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureEngine({ force: process.argv.includes("--force") });
  } catch (error) {
    console.error(`engine-build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
