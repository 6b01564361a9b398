import { defineConfig } from 'vitest/config';

// Two projects (after Hive Gateway's vitest.config.ts): unit tests beside the code, and end-to-end
// tests in test/ that start real subgraphs on loopback ports behind the real gateway. Every
// database-backed test runs on one PostgreSQL per run (test/utils/postgres.global.ts): an embedded
// server started for the run, or the one TEST_DATABASE_URL names.
const globalSetup = ['test/utils/postgres.global.ts'];
// Tests build gateways in their own process, which imports no entry point: @apollo/gateway's
// anonymous usage metrics are turned off here as every entry point turns them off (schema/src/production.ts).
const env = { APOLLO_TELEMETRY_DISABLED: 'true' };
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          globalSetup,
          include: [
            'schema/src/**/*.test.ts',
            'subgraphs/*/src/**/*.test.ts',
            'gateway/src/**/*.test.ts',
            'scripts/src/**/*.test.ts',
          ],
          testTimeout: 30_000,
          // A set-up here is a test's worth of work: a seeded database (@crossgov/testing/fixtures:
          // fresh schema, migrations, seed) took 0.1-0.6 s in a run of the organisation and schema
          // unit projects and up to 0.9 s at a load average of 6 on two cores; with the file to
          // import generated after it (import.store.test.ts), 1 s; organisation.test.ts starts two
          // subgraphs on theirs. So it gets a test's allowance, not the 10 s default: only a hung
          // set-up fails, not one slowed by the e2e graphs that `pnpm test` starts beside it.
          hookTimeout: 30_000,
        },
      },
      {
        // Real headless Chromium against the seeded graph; needs Debian's chromium, so it is its own
        // command (pnpm test:browser), which .ci/run runs after installing it.
        test: {
          name: 'browser',
          env: { ...env, MAX_EVENT_LOOP_DELAY_MS: '0' },
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
          env: { ...env, MAX_EVENT_LOOP_DELAY_MS: '0' },
          globalSetup,
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          // A whole graph (startTestGraph) started in 1.4-2.2 s on PostgreSQL; the real government
          // (startPublicGraph, test/public-data.e2e.test.ts) imports every published data set as it
          // starts, about a minute on two cores: twice that.
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
          env: { ...env, MAX_EVENT_LOOP_DELAY_MS: '0' },
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
