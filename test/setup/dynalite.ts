import type { TestProject } from "vitest/node";

/** Placeholder until the DynamoDB store lands: the customers helper replaces this file. */
export default async function setup(_project: TestProject): Promise<void> {}
