/**
 * Same source, same bytes: a preview with no code change must show no function diff, so the
 * in-memory build the program deploys has to be deterministic and equal to `npm run build`'s.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { buildLambdaBundles, CALLBACKS } from "../../build/lambda-bundles.cjs";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("Lambda bundles", () => {
  it("building twice gives identical bytes and hashes for every callback", async () => {
    const first = await buildLambdaBundles({ write: false });
    const second = await buildLambdaBundles({ write: false });
    expect(first.map((b) => b.callback).sort()).toEqual([...CALLBACKS].sort());
    for (const bundle of first) {
      const again = second.find((b) => b.callback === bundle.callback)!;
      expect(again.sha256, bundle.callback).toBe(bundle.sha256);
      expect(Buffer.compare(again.code, bundle.code), bundle.callback).toBe(0);
      expect(sha256(bundle.code), bundle.callback).toBe(bundle.sha256);
    }
  });

  it("the archive the program deploys holds exactly the built bytes, as ASCII text", async () => {
    const built = new Map((await buildLambdaBundles({ write: false })).map((b) => [b.callback, b]));
    // A fresh module instance: its own build, not a cached one.
    vi.resetModules();
    const { lambdaArchive } = await import("../../infra/lambda-code.js");
    for (const callback of CALLBACKS) {
      const assets = await lambdaArchive(callback).assets;
      const text = await (assets["index.mjs"] as pulumi.asset.StringAsset).text;
      // StringAsset stores text: it only round-trips to the same bytes if the bundle is plain ASCII.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole 7-bit range is the point.
      expect(/^[\x00-\x7f]*$/.test(text!), callback).toBe(true);
      expect(sha256(Buffer.from(text!, "utf8")), callback).toBe(built.get(callback)!.sha256);
    }
  });

  it("each bundle is small and exports the handler the functions are configured with", async () => {
    for (const bundle of await buildLambdaBundles({ write: false })) {
      expect(bundle.code.length, bundle.callback).toBeLessThan(200 * 1024);
      expect(bundle.code.toString("utf8"), bundle.callback).toMatch(
        /export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\b|export const handler/,
      );
    }
  });
});
