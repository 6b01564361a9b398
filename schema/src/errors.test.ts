import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ERRORS,
  type ErrorCode,
  type ErrorKind,
  RequestError,
  isClientVisible,
  statusOf,
} from './errors.ts';
import { createErrorMasker } from './mask-errors.ts';

// Every error code the source can send is in the one table (errors.ts), with one status and one
// visibility; and every code in the table is sent somewhere, or is Apollo's, passed on.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = [
  'schema/src',
  'gateway/src',
  'scripts/src',
  ...readdirSync(join(ROOT, 'subgraphs')).map((name) => `subgraphs/${name}/src`),
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const CODE = "'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'";
/**
 * The shapes a code is written in. Where it is typed ErrorCode (sendError, userError, RequestError,
 * the dashboard's problem, an import's refuse, statusOf) the compiler already holds it to the table;
 * the scan also finds the untyped places: `code: 'X'` in an extensions literal, and comparisons with
 * `extensions.code`.
 */
const PATTERNS = [
  new RegExp(
    `\\b(?:userError|new RequestError|statusOf|isClientVisible|\\.refuse)\\(\\s*${CODE}`,
    'g',
  ),
  new RegExp(`\\b(?:sendError|problem)\\(\\s*res,\\s*${CODE}`, 'g'),
  // Not a department of the register ({ code: 'HMRC', name: ... }, sources/departments.ts).
  new RegExp(`\\bcode: ${CODE}(?!,\\s*name:)`, 'g'),
  // A GraphQL error's code, not a Node one's (error.code === 'ECONNREFUSED').
  new RegExp(`\\bextensions\\??\\.code\\s*[!=]==\\s*${CODE}`, 'g'),
];

interface Site {
  code: string;
  at: string;
}

function scan(): Site[] {
  const sites: Site[] = [];
  for (const folder of FOLDERS) {
    for (const file of sourceFiles(join(ROOT, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of PATTERNS) {
        for (const match of text.matchAll(pattern)) {
          const line = text.slice(0, match.index).split('\n').length;
          sites.push({ code: match[1]!, at: `${relative(ROOT, file)}:${line}` });
        }
      }
    }
  }
  return sites;
}

const sites = scan();
const table = Object.entries(ERRORS) as [ErrorCode, ErrorKind][];

describe('the error codes the source sends', () => {
  it('are found where they are written (the scan cannot silently find nothing)', () => {
    expect(sites.length).toBeGreaterThan(60);
    expect(new Set(sites.map((s) => s.code)).size).toBeGreaterThanOrEqual(10);
    // One of each shape, so a pattern that stopped matching is noticed.
    for (const shape of [
      "userError('",
      "new RequestError('",
      "sendError(res, '",
      "problem(res, '",
      "refuse('",
      'code: ',
      'extensions?.code === ',
      'extensions.code !== ',
    ]) {
      const found = sites.some((site) => {
        const [file, line] = site.at.split(':');
        return readFileSync(join(ROOT, file!), 'utf8')
          .split('\n')
          [Number(line) - 1]!.includes(shape);
      });
      expect(found, shape).toBe(true);
    }
  });

  it('are each in the table', () => {
    const unknown = sites.filter((site) => !Object.hasOwn(ERRORS, site.code));
    expect(unknown, unknown.map((s) => `${s.code} at ${s.at}`).join('\n')).toEqual([]);
  });
});

describe('the table of error codes', () => {
  it('gives each code one HTTP status, one visibility and a one-line meaning', () => {
    for (const [code, kind] of table) {
      expect(Number.isInteger(kind.status) && kind.status >= 200 && kind.status < 600, code).toBe(
        true,
      );
      expect(['client', 'masked'], code).toContain(kind.visibility);
      expect(kind.meaning, code).toMatch(/^[^\n]{10,}$/);
      for (const [reason, status] of Object.entries(kind.statusByReason ?? {})) {
        expect(Number.isInteger(status) && status >= 400 && status < 600, `${code} ${reason}`).toBe(
          true,
        );
        expect(statusOf(code, reason), `${code} ${reason}`).toBe(status);
      }
      expect(statusOf(code), code).toBe(kind.status);
      expect(statusOf(code, 'NOT_A_REASON'), code).toBe(kind.status);
    }
  });

  it('holds only codes the source sends, or codes Apollo raises and Crossgov passes on', () => {
    const sent = new Set(sites.map((s) => s.code));
    const neverSent = table
      .filter(([code, kind]) => kind.raisedBy !== 'apollo' && !sent.has(code))
      .map(([code]) => code);
    expect(neverSent).toEqual([]);
    // Apollo's own (Server's errors/index.ts, Gateway's DOWNSTREAM_SERVICE_ERROR) are in it so the masker knows them.
    expect(table.filter(([, kind]) => kind.raisedBy === 'apollo').map(([code]) => code)).toEqual([
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'PERSISTED_QUERY_NOT_FOUND',
      'PERSISTED_QUERY_NOT_SUPPORTED',
      'DOWNSTREAM_SERVICE_ERROR',
    ]);
  });

  it('names only reasons the source sends', () => {
    // Every source file but the table's own, which names each reason once.
    const text = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)))
      .filter((file) => relative(ROOT, file) !== 'schema/src/errors.ts')
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    for (const [code, kind] of table) {
      for (const reason of Object.keys(kind.statusByReason ?? {})) {
        expect(text.split(`'${reason}'`).length - 1, `${code} ${reason}`).toBeGreaterThan(0);
      }
    }
  });

  it('answers a code it does not hold as an internal error (500)', () => {
    expect(statusOf('DOES_NOT_EXIST')).toBe(500);
    expect(statusOf(undefined)).toBe(500);
    expect(isClientVisible('DOES_NOT_EXIST')).toBe(false);
  });

  it('is what the masker passes: the message of a client code, and none of a masked one', () => {
    const mask = createErrorMasker(false);
    for (const [code, kind] of table) {
      const masked = mask({ message: `a ${code} message`, extensions: { code } });
      expect(masked.message === `a ${code} message`, code).toBe(kind.visibility === 'client');
      expect(masked.extensions?.code, code).toBe(
        kind.visibility === 'client' ? code : 'INTERNAL_SERVER_ERROR',
      );
    }
  });

  it("gives a RequestError the table's status, wherever it is thrown, and Apollo the same in extensions.http", () => {
    const timedOut = new RequestError(
      'SUBGRAPH_UNAVAILABLE',
      'no answer in time',
      { reason: 'TIMEOUT' },
      { headers: { 'retry-after': '1' } },
    );
    expect(timedOut.status).toBe(504);
    expect(timedOut.extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      reason: 'TIMEOUT',
      http: { status: 504 },
    });
    expect(timedOut.headers).toEqual({ 'retry-after': '1' });
    expect(new RequestError('SUBGRAPH_UNAVAILABLE', 'unreachable').status).toBe(502);
    expect(new RequestError('BAD_REQUEST', 'used', { reason: 'IMPORT_COMMITTED' }).status).toBe(
      409,
    );
    expect(new RequestError('CANCELLED', 'gone')).toMatchObject({ status: 499, code: 'CANCELLED' });
  });
});
