import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildLambdaBundles, CALLBACKS } from "../../build/lambda-bundles.cjs";

describe("Lambda bundles", () => {
  const built = buildLambdaBundles({ write: true });

  it("builds one bundle per callback", async () => {
    expect((await built).map((b) => b.callback)).toEqual([...CALLBACKS]);
  });

  it("gives the same bytes for the same source (no spurious function diff in previews)", async () => {
    const again = await buildLambdaBundles();
    expect(again.map((b) => b.sha256)).toEqual((await built).map((b) => b.sha256));
  });

  it.each(CALLBACKS)("%s stays under 150 KB and leaves the AWS SDK and the full twilio SDK out", async (callback) => {
    const bundle = (await built).find((b) => b.callback === callback)!;
    expect(bundle.code.length).toBeLessThan(150 * 1024);
    const text = bundle.code.toString();
    expect(text).not.toMatch(/RestException|twilio\.com\/docs\/errors/);
    // SSM and DynamoDB go through lambda/aws (SigV4 over node:https): no AWS SDK at all, not even by import().
    expect(text).not.toContain("@aws-sdk");
    expect(text).not.toContain("@smithy");
    expect(text).not.toContain(process.cwd());
    expect(readFileSync(`dist/lambda/${callback}/index.mjs`).equals(bundle.code)).toBe(true);
  });

  it.each(CALLBACKS)(
    "%s loads as ESM in a fresh Node process and exports handler, reading no config at import",
    (callback) => {
      const child = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(`./dist/lambda/${callback}/index.mjs`)}); console.log(typeof m.handler)`,
        ],
        { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" },
      );
      expect(child.stderr).toBe("");
      expect(child.stdout.trim()).toBe("function");
    },
  );
});
