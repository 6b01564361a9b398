import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from './request-log.ts';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("a request's id", () => {
  it("is the caller's x-request-id when it looks like an id, so its own logs and ours can be joined", () => {
    expect(requestIdOf(request({ 'x-request-id': 'pbi-refresh:2026-12-02.17' }))).toBe(
      'pbi-refresh:2026-12-02.17',
    );
  });

  it('is a new UUID when the caller sent none, or one that could put anything into a log line', () => {
    expect(requestIdOf(request({}))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(request({ 'x-request-id': 'a b\n{"level":60}' }))).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    expect(requestIdOf(request({ 'x-request-id': 'x'.repeat(129) }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stays the same for the whole request', () => {
    const req = request({});
    expect(requestIdOf(req)).toBe(requestIdOf(req));
  });
});
