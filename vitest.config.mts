import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi's closure serializer needs the inspector, which worker threads do not offer
    // (ERR_TRACE_EVENTS_UNAVAILABLE): child processes only.
    pool: "forks",
    globalSetup: ["test/global-setup.ts", "test/setup/dynalite.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
