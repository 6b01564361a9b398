import { describe, expect, it } from 'vitest';
import { metrics, recordImportRows, recordSubgraphCall, watchPool } from './metrics.ts';

const valueOf = async (name: string, labels: Record<string, string>) => {
  const metric = await metrics.getSingleMetric(name)!.get();
  return metric.values.find((v) =>
    Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  )?.value;
};

describe('metrics', () => {
  it('counts a failed subgraph call as an error by its reason, and times every call', async () => {
    recordSubgraphCall('unit-test-publisher', 0.2, 'TIMEOUT');
    recordSubgraphCall('unit-test-publisher', 0.01, 'ok');
    expect(
      await valueOf('crossgov_subgraph_errors_total', {
        subgraph: 'unit-test-publisher',
        reason: 'TIMEOUT',
      }),
    ).toBe(1);
    expect(
      await valueOf('crossgov_subgraph_errors_total', {
        subgraph: 'unit-test-publisher',
        reason: 'ok',
      }),
    ).toBeUndefined();
  });

  it('counts the rows an import committed by section, leaving out empty sections', async () => {
    recordImportRows('unit-test-publisher', { measurements: 98, targets: 7, services: 0 });
    expect(
      await valueOf('crossgov_import_rows_total', {
        service: 'unit-test-publisher',
        section: 'measurements',
      }),
    ).toBe(98);
    expect(
      await valueOf('crossgov_import_rows_total', {
        service: 'unit-test-publisher',
        section: 'services',
      }),
    ).toBeUndefined();
  });

  it("reads a database pool's connections when scraped, until it is forgotten", async () => {
    const pool = { totalCount: 5, idleCount: 3, waitingCount: 0 };
    const forget = watchPool('unit_test_pool', pool);
    pool.waitingCount = 2;
    expect(
      await valueOf('crossgov_db_pool_connections', { pool: 'unit_test_pool', state: 'waiting' }),
    ).toBe(2);
    forget();
    expect(
      await valueOf('crossgov_db_pool_connections', { pool: 'unit_test_pool', state: 'total' }),
    ).toBeUndefined();
  });
});
