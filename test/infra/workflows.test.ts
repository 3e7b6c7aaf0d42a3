/**
 * The CI contract, checked where it can drift: previews on pull requests with the diff commented,
 * `up` for dev on main, a CLI in step with the SDK the program is tested with, and a stack file for
 * every stack CI names.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli-load.js";

const yaml = require("js-yaml") as { load(text: string): any };
const workflow = (name: string) => yaml.load(readFileSync(join(ROOT, ".github/workflows", name), "utf8"));
const pulumiStep = (job: any) => job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
const sdkVersion = JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;

describe("CI workflows", () => {
  it("pull requests: tests, then `pulumi preview --diff` per stack, commented on the PR", () => {
    const pr = workflow("pull-request.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    const preview = pr.jobs.preview;
    expect(preview.needs).toBe("test");
    expect(preview.permissions).toMatchObject({ "pull-requests": "write", "id-token": "write" });
    const step = pulumiStep(preview);
    expect(step.uses).toBe("pulumi/actions@v7");
    expect(step.with).toMatchObject({
      command: "preview",
      diff: true,
      "comment-on-pr": true,
      "pulumi-version": sdkVersion,
    });
    for (const stack of preview.strategy.matrix.stack)
      expect(existsSync(join(ROOT, `Pulumi.${stack}.yaml`)), stack).toBe(true);
    expect(pr.jobs.test.steps.some((s: any) => s.run === ".ci/run")).toBe(true);
  });

  it("main: `pulumi up` on dev after the tests; other stacks only by hand, in their own environment", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(deploy.on.workflow_dispatch.inputs.stack.required).toBe(true);
    const up = deploy.jobs.up;
    expect(up.needs).toBe("test");
    expect(up.environment).toContain("'dev'");
    expect(up.concurrency["cancel-in-progress"]).toBe(false);
    expect(pulumiStep(up).with).toMatchObject({ command: "up", "pulumi-version": sdkVersion });
  });

  it("deploys from main only, even when run by hand from another branch", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.jobs.up.if).toBe("github.ref == 'refs/heads/main'");
    const [guard] = deploy.jobs.test.steps;
    expect(guard.if).toBe("github.ref != 'refs/heads/main'");
    expect(guard.run).toMatch(/exit 1/);
  });

  it("never puts a Twilio credential in the workflows", () => {
    for (const name of ["pull-request.yml", "deploy.yml"]) {
      const text = readFileSync(join(ROOT, ".github/workflows", name), "utf8");
      expect(text, name).not.toMatch(/TWILIO_AUTH_TOKEN|twilio:authToken:/);
    }
  });
});
