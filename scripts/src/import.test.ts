import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ImportCommand, newImportId, readImportCommand, runImport } from './import.ts';

// pnpm run import against a stand-in gateway: the id it sends and prints, and what it says when
// the answer is lost (it asks GET /imports/<id>) or the outcome is not known.

const folder = mkdtempSync(join(tmpdir(), 'crossgov-import-cli-'));
const file = join(folder, 'figures.csv');
writeFileSync(file, 'indicator_code,period,value\n636,2019-03,97.5\n');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A stand-in gateway: `post` answers the import, `status` answers GET /imports/<id> (each with the id the import sent). */
async function gateway(handlers: {
  post: (req: IncomingMessage, res: ServerResponse, id: string) => void;
  status?: (id: string) => unknown;
}) {
  const seen = { posted: [] as string[], asked: [] as string[] };
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      const id = String(req.headers['import-id']);
      seen.posted.push(id);
      handlers.post(req, res, id);
      return;
    }
    const id = decodeURIComponent(req.url!.replace('/imports/', ''));
    seen.asked.push(id);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(handlers.status?.(id) ?? { data: { importId: id, status: 'NOT_COMMITTED' } }),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const RESULT = {
  organisation: 'norfolk',
  organisations: ['norfolk'],
  published: false,
  rows: 1,
  measurements: 1,
  targets: 0,
  milestoneReturns: 0,
  confidenceAssessments: 0,
};

async function run(gatewayUrl: string) {
  const command: ImportCommand = {
    ...readImportCommand(['norfolk', file, '--gateway', gatewayUrl, '--token', 't']),
  };
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(command, 'norfolk', {
    say: () => undefined,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    statusWaitMs: 2500,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pnpm run import', () => {
  it('makes an id naming the publisher, sends it, and prints it first and with the result', async () => {
    expect(newImportId('nhs-england')).toMatch(/^nhs-england\.[A-Za-z0-9_-]{22}$/);
    const stand = await gateway({
      post: (req, res, id) => {
        req.resume();
        req.on('end', () =>
          res
            .writeHead(200, { 'content-type': 'application/x-ndjson' })
            .end(
              `${JSON.stringify({ progress: { phase: 'committing', done: 1, total: 1 } })}\n${JSON.stringify({ data: RESULT, extensions: { importId: id } })}\n`,
            ),
        );
      },
    });
    const { code, out, err } = await run(stand.url);
    expect(code).toBe(0);
    const id = stand.seen.posted[0]!;
    expect(id).toMatch(/^norfolk\./);
    expect(err).toContain(`import ${id}: ${file}`);
    expect(out).toMatch(
      new RegExp(
        `^imported .*figures\\.csv into norfolk in [\\d.]+ s: 1 measurements as drafts, .* \\(import ${id.replace('.', '\\.')}\\)$`,
      ),
    );
    expect(stand.seen.asked).toEqual([]);
  });

  it('asks what became of the import when the connection breaks, and says it committed when it did', async () => {
    const stand = await gateway({
      post: (req) => {
        req.resume();
        req.on('end', () => req.socket.destroy());
      },
      status: (id) => ({ data: { importId: id, status: 'COMMITTED', result: RESULT } }),
    });
    const { code, out, err } = await run(stand.url);
    const [id] = stand.seen.posted;
    expect(stand.seen.asked).toEqual([id]);
    expect(err).toContain(
      `the connection to the gateway broke before the answer came; asking what became of import ${id}`,
    );
    expect(out).toContain(`it committed, though its answer was lost`);
    expect(code).toBe(0);
  });

  it('says nothing was written when the gateway says the import was not committed, asking again while it runs', async () => {
    let asked = 0;
    const stand = await gateway({
      post: (req, res, id) => {
        req.resume();
        req.on('end', () =>
          res.writeHead(504, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              errors: [
                {
                  message: `Import ${id} took longer than the gateway's deadline of 240 s (import-deadline-ms) and was cancelled; whether it had committed is not known yet`,
                  extensions: { code: 'SUBGRAPH_UNAVAILABLE', importStatus: 'RUNNING' },
                },
              ],
            }),
          ),
        );
      },
      status: (id) => ({
        data: { importId: id, status: (asked += 1) === 1 ? 'RUNNING' : 'NOT_COMMITTED' },
      }),
    });
    const { code, err } = await run(stand.url);
    const [id] = stand.seen.posted;
    expect(stand.seen.asked).toEqual([id, id]);
    expect(err).toContain(`took longer than the gateway's deadline`);
    expect(err).toContain(`import ${id} was not committed: nothing was written.`);
    expect(code).toBe(1);
  });

  it('says the outcome is not known, and how to ask, when the gateway cannot say (exit 3)', async () => {
    const stand = await gateway({
      post: (req) => {
        req.resume();
        req.on('end', () => req.socket.destroy());
      },
      status: (id) => ({ data: { importId: id, status: 'RUNNING' } }),
    });
    const { code, err } = await run(stand.url);
    const [id] = stand.seen.posted;
    expect(err).toContain(
      `whether import ${id} committed is not known yet; ask with: curl -s ${stand.url}/imports/${id}`,
    );
    expect(code).toBe(3);
  });

  it('lists the problems it was given and says how many there were in all', async () => {
    const stand = await gateway({
      post: (req, res) => {
        req.resume();
        const problems = [{ row: 2, field: 'value', value: 'n/a', rule: 'must be a number' }];
        req.on('end', () =>
          res.writeHead(400, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              errors: [
                {
                  message: 'at least 1 invalid rows',
                  extensions: {
                    code: 'BAD_USER_INPUT',
                    problems,
                    problemCount: 1500,
                    stoppedAtRow: 1001,
                  },
                },
              ],
            }),
          ),
        );
      },
    });
    const { code, err } = await run(stand.url);
    expect(code).toBe(1);
    expect(err).toContain('import refused (HTTP 400, BAD_USER_INPUT): nothing was written.');
    expect(err).toContain('  line 2: value "n/a" must be a number');
    expect(err).toContain('... and 1499 more (1500 problems in all; the first 1 are listed)');
    expect(err).toContain('reading stopped at line 1001');
  });
});
