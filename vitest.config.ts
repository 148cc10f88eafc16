import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { TEST_VECTOR_CACHE } from "./app/test/vector-cache";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "app/**/*.test.tsx", "scripts/**/*.test.ts", "model/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: "forks",
    globalSetup: ["app/test/global-setup.ts"],
    env: { VECTOR_CACHE_PATH: TEST_VECTOR_CACHE },
  },
});
