import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without types; its three functions are exercised below.
import { isCurrent, writeStamp } from "../../scripts/bundle-stamp.mjs";

/** A fake project: two sources and the bundle built from them. */
function project() {
  const root = mkdtempSync(join(tmpdir(), "stamp-"));
  mkdirSync(join(root, "src"));
  mkdirSync(join(root, "dist"));
  writeFileSync(join(root, "src/a.ts"), "export const a = 1;");
  writeFileSync(join(root, "src/b.ts"), "export const b = 2;");
  writeFileSync(join(root, "dist/out.mjs"), "bundle");
  const stamp = join(root, "dist/out.inputs.json");
  writeStamp(root, stamp, "dist/out.mjs", ["src/a.ts", "src/b.ts"]);
  return { root, stamp };
}

describe("npm start skips the rebuild only while the bundle is current", () => {
  it("is current right after a build", () => {
    const { root, stamp } = project();
    expect(isCurrent(root, stamp, "dist/out.mjs")).toBe(true);
  });

  it.each([
    [
      "a source edited (same size, newer mtime)",
      (root: string) => utimesSync(join(root, "src/a.ts"), new Date(), new Date(Date.now() + 5_000)),
    ],
    ["a source edited (other size)", (root: string) => writeFileSync(join(root, "src/b.ts"), "export const b = 22;")],
    ["a source deleted", (root: string) => rmSync(join(root, "src/a.ts"))],
    ["the bundle deleted", (root: string) => rmSync(join(root, "dist/out.mjs"))],
    [
      "the bundle replaced by another build",
      (root: string) => writeFileSync(join(root, "dist/out.mjs"), "other bundle"),
    ],
    ["the stamp missing", (root: string) => rmSync(join(root, "dist/out.inputs.json"))],
    ["the stamp damaged", (root: string) => writeFileSync(join(root, "dist/out.inputs.json"), "{")],
  ])("is stale after %s", (_label, change) => {
    const { root, stamp } = project();
    change(root);
    expect(isCurrent(root, stamp, "dist/out.mjs")).toBe(false);
  });
});
