import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Engine processes hold a model set each; keep parallel test files to the two cores.
    maxWorkers: 2,
  },
});
