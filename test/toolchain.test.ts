import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("toolchain", () => {
  it("runs on Node 22 or newer (npm ci --ignore-scripts silently leaves the system Node)", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(22);
  });

  it("keeps TypeScript on 5.x, which Pulumi's TypeScript runtime requires", () => {
    const pkg = JSON.parse(readFileSync("node_modules/typescript/package.json", "utf8")) as { version: string };
    expect(pkg.version).toMatch(/^5\./);
  });
});
