import { defineConfig } from 'vitest/config';

// Two projects (after Hive Gateway's vitest.config.ts): unit tests beside the code, and end-to-end
// tests in test/ that start real subgraphs on loopback ports behind the real gateway. Every
// database-backed test runs on one PostgreSQL per run (test/setup/postgres.global.ts): an embedded
// server started for the run, or the one TEST_DATABASE_URL names.
const globalSetup = ['test/setup/postgres.global.ts'];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup,
          include: ['schema/src/**/*.test.ts', 'subgraphs/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'scripts/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // Real headless Chromium against the seeded graph; needs Debian's chromium, so it is its own
        // command (pnpm test:browser), which .ci/run runs after installing it.
        test: {
          name: 'browser',
          env: { MAX_EVENT_LOOP_DELAY_MS: '0' },
          globalSetup,
          include: ['test/browser/**/*.browser.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          // The whole graph shares the test's event loop, which starting a graph blocks for seconds:
          // shedding on event-loop delay (on by default in a deployment) would refuse requests at
          // random here. test/overload.e2e.test.ts sets admission control explicitly.
          env: { MAX_EVENT_LOOP_DELAY_MS: '0' },
          globalSetup,
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts a whole graph; on two cores they run best one at a time.
          fileParallelism: false,
          // One after another in one worker that keeps its modules: importing the whole graph took
          // 3-4 s a file, 2.5 of the 12 minutes of a CI run. Every file stops what it starts.
          isolate: false,
        },
      },
      {
        // How it is deployed (issue 15): the production build started as separate `node` processes,
        // a second gateway (Hive Gateway) on the same subgraphs, and publishers on hosts of their
        // own (network namespaces and veth links, which need root and iproute2). Its own command
        // (pnpm test:deploy), which .ci/run runs once, against the external PostgreSQL.
        test: {
          name: 'deploy',
          // As for e2e: servers started in the test's own process share its event loop.
          env: { MAX_EVENT_LOOP_DELAY_MS: '0' },
          globalSetup,
          include: ['test/deploy/**/*.deploy.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
