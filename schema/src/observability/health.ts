import type { Express } from 'express';
import { metrics } from './metrics.ts';

/** One thing a server needs before it can answer: a database reachable, its migrations applied. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when it holds; rejects (or resolves with a reason) when it does not. */
  check(): Promise<void | string>;
}

/** Each check gets this long; a database that takes longer is not ready to answer requests either. */
const CHECK_TIMEOUT_MS = 2000;

interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

/**
 * Whether a process is ready to serve: not while it starts (migrating, seeding, loading its
 * supergraph: the phase is named), then only while every check holds.
 */
export class Readiness {
  private phase: string | null = 'starting';
  private checks: readonly ReadinessCheck[] = [];

  /** What the process is doing instead of serving (starting, migrating, seeding, stopping), or null while it serves. */
  get currentPhase(): string | null {
    return this.phase;
  }

  /** Names what the process is doing before it can serve. */
  starting(phase: string): void {
    this.phase = phase;
  }

  /** Serving from now on, as long as these hold. */
  serving(checks: readonly ReadinessCheck[]): void {
    this.phase = null;
    this.checks = checks;
  }

  async report(): Promise<{ ready: boolean; phase?: string; checks: CheckResult[] }> {
    if (this.phase !== null) return { ready: false, phase: this.phase, checks: [] };
    const checks = await Promise.all(this.checks.map(run));
    return { ready: checks.every((c) => c.ok), checks };
  }
}

async function run(check: ReadinessCheck): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    const problem = await Promise.race([check.check(), timeout]);
    return typeof problem === 'string'
      ? { name: check.name, ok: false, detail: problem }
      : { name: check.name, ok: true };
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The probes every process serves, first, outside admission control and the request log (an
 * orchestrator asks every few seconds): `/healthz` (the process is alive and its event loop turns),
 * `/readyz` (200 when it can serve, else 503 saying why) and `/metrics` (Prometheus's text format).
 */
export function probeRoutes(app: Express, service: string, readiness: Readiness): void {
  const started = Date.now();
  app.get('/healthz', (_req, res) => {
    res
      .set('cache-control', 'no-store')
      .json({ status: 'alive', service, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  });
  app.get('/readyz', (_req, res, next) => {
    readiness.report().then((report) => {
      res.set('cache-control', 'no-store').status(report.ready ? 200 : 503);
      if (!report.ready) res.set('retry-after', '1');
      res.json({ status: report.ready ? 'ready' : 'not ready', service, ...report });
    }, next);
  });
  app.get('/metrics', (_req, res, next) => {
    metrics
      .metrics()
      .then(
        (text) => res.set('cache-control', 'no-store').type(metrics.contentType).send(text),
        next,
      );
  });
}
