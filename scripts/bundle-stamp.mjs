// Whether a bundle is current, the way make decides: every file it was built from (esbuild's
// metafile inputs, plus the build's own files) still has the mtime and size it had at build time.
// A few hundred stat calls take about a millisecond; running esbuild takes 100+ ms and a process.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = 1;

/** `mtime:size`, or "missing". */
export function fingerprint(root, file) {
  try {
    const { mtimeMs, size } = statSync(path.join(root, file));
    return `${mtimeMs}:${size}`;
  } catch {
    return "missing";
  }
}

/** Records what `output` (relative to root) was built from. */
export function writeStamp(root, stampFile, output, inputFiles) {
  const inputs = Object.fromEntries([...new Set(inputFiles)].map((file) => [file, fingerprint(root, file)]));
  writeFileSync(stampFile, JSON.stringify({ version: VERSION, output: fingerprint(root, output), inputs }));
}

/** True when the stamp exists, the output is the one it describes, and no input changed. */
export function isCurrent(root, stampFile, output) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  if (stamp?.version !== VERSION || typeof stamp.inputs !== "object") return false;
  if (fingerprint(root, output) !== stamp.output) return false;
  for (const [file, seen] of Object.entries(stamp.inputs)) if (fingerprint(root, file) !== seen) return false;
  return true;
}
