import { describe, expect, it } from 'vitest';
import { Readiness } from './health.ts';

describe('readiness', () => {
  it('is not ready while starting, and names the phase', async () => {
    const readiness = new Readiness();
    readiness.starting('migrating');
    expect(await readiness.report()).toEqual({ ready: false, phase: 'migrating', checks: [] });
  });

  it('is ready once serving while every check holds, and says which one fails and why', async () => {
    const readiness = new Readiness();
    let reachable = true;
    readiness.serving([
      {
        name: 'database',
        check: async () =>
          reachable ? undefined : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      },
      { name: 'migrations', check: async () => undefined },
    ]);
    expect(await readiness.report()).toEqual({
      ready: true,
      checks: [
        { name: 'database', ok: true },
        { name: 'migrations', ok: true },
      ],
    });
    reachable = false;
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: [
        { name: 'database', ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' },
        { name: 'migrations', ok: true },
      ],
    });
  });

  it('counts a check that resolves with a reason as failing', async () => {
    const readiness = new Readiness();
    readiness.serving([
      { name: 'migrations', check: async () => '9 of 10 migrations applied in schema synergy' },
    ]);
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: [
        { name: 'migrations', ok: false, detail: '9 of 10 migrations applied in schema synergy' },
      ],
    });
  });

  it('is not ready again once stopping', async () => {
    const readiness = new Readiness();
    readiness.serving([]);
    readiness.starting('stopping');
    expect((await readiness.report()).ready).toBe(false);
    expect(readiness.currentPhase).toBe('stopping');
  });
});
