import type { TestProject } from "vitest/node";

/**
 * Starts the services the suites share and stops them after the run. Each service registers
 * itself here; suites read connection details with `inject()`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const assertNode = +process.versions.node.split(".")[0]!;
  if (assertNode < 22) throw new Error(`tests need Node >= 22 (run through npm so the node@22 dev dependency is used); got ${process.version}`);
  void project;
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
