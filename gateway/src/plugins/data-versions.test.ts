import { type Server, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerVersions, answerValidators, versionsOf } from './data-versions.ts';

describe("an answer's data versions", () => {
  it('lists each subgraph once, in name order', () => {
    const versions = new AnswerVersions();
    versions.record('norfolk', '12.3.2026-11-21');
    versions.record('directory', '1764680000000.2026-11-21');
    versions.record('norfolk', '12.3.2026-11-21');
    expect(versions.list).toEqual([
      'directory=1764680000000.2026-11-21',
      'norfolk=12.3.2026-11-21',
    ]);
  });

  it('may not be tagged when a subgraph sent no version, two calls to one subgraph disagree, or the answer is spoilt', () => {
    const none = new AnswerVersions();
    expect(none.list).toBeUndefined();
    const unversioned = new AnswerVersions();
    unversioned.record('norfolk', '12.3.2026-11-21');
    unversioned.record('hmrc', undefined);
    expect(unversioned.list).toBeUndefined();
    // A write landed between two calls of one request: the answer mixes two versions.
    const torn = new AnswerVersions();
    torn.record('norfolk', '12.3.2026-11-21');
    torn.record('norfolk', '13.3.2026-11-21');
    expect(torn.list).toBeUndefined();
    const spoilt = new AnswerVersions();
    spoilt.record('norfolk', '12.3.2026-11-21');
    spoilt.spoil();
    expect(spoilt.list).toBeUndefined();
  });
});

describe('ETag and Last-Modified on GET answers', () => {
  let server: Server;
  let base: string;
  /** What the route's queries are answered with: each subgraph's version, or undefined for none. */
  let norfolk: string | undefined;
  let today = '2026-11-21';
  beforeAll(async () => {
    const app = express();
    app.use(answerValidators({ today: () => today, supergraph: () => 'supergraph-1' }));
    app.get('/facts', (req, res) => {
      versionsOf(req).record('norfolk', norfolk);
      res.json({ data: [{ value: 12 }] });
    });
    app.get('/missing', (req, res) => {
      versionsOf(req).record('norfolk', norfolk);
      res.status(404).json({ error: 'no such thing' });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request, asking for the whole answer.
  const ask = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
    }>((resolve, reject) =>
      get(`${base}${path}`, { headers }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body }),
        );
      }).on('error', reject),
    );

  it('tags an answer, answers 304 without a body while nothing changed, and sends the new answer once a version moves on', async () => {
    norfolk = '12.3.2026-11-21';
    const first = await ask('/facts');
    expect(first.headers.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers['last-modified']).toMatch(/GMT$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toBe('authorization, accept');
    const again = await ask('/facts', { 'if-none-match': first.headers.etag as string });
    expect(again).toMatchObject({ status: 304, body: '' });
    expect(
      (await ask('/facts', { 'if-modified-since': first.headers['last-modified'] as string }))
        .status,
    ).toBe(304);

    norfolk = '13.3.2026-11-21';
    const changed = await ask('/facts', { 'if-none-match': first.headers.etag as string });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    // Replaced within the same second: no Last-Modified, so revalidating by date alone cannot be told 304.
    expect(changed.headers['last-modified']).toBeUndefined();
    expect(
      (await ask('/facts', { 'if-modified-since': first.headers['last-modified'] as string }))
        .status,
    ).toBe(200);
  });

  it("gives each caller, each Accept and each day tags of their own, and a caller's answers are private", async () => {
    norfolk = '20.3.2026-11-21';
    const anonymous = await ask('/facts');
    const owner = await ask('/facts', { authorization: 'Bearer owner-token' });
    const csv = await ask('/facts', { accept: 'text/csv' });
    expect(new Set([anonymous.headers.etag, owner.headers.etag, csv.headers.etag]).size).toBe(3);
    expect(owner.headers['cache-control']).toBe('private, no-cache');
    expect(
      (
        await ask('/facts', {
          'if-none-match': anonymous.headers.etag as string,
          authorization: 'Bearer owner-token',
        })
      ).status,
    ).toBe(200);
    today = '2026-11-22';
    expect(
      (await ask('/facts', { 'if-none-match': anonymous.headers.etag as string })).status,
    ).toBe(200);
    today = '2026-11-21';
  });

  it('leaves an answer no version vouches for, and a refusal, to Express alone', async () => {
    norfolk = undefined;
    const unversioned = await ask('/facts');
    expect(unversioned.headers['last-modified']).toBeUndefined();
    expect(unversioned.headers['cache-control']).toBeUndefined();
    norfolk = '21.3.2026-11-21';
    const refused = await ask('/missing');
    expect(refused.status).toBe(404);
    expect(refused.headers['last-modified']).toBeUndefined();
  });
});
