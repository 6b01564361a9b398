import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorMasker } from './mask-errors.ts';

const STACK = ['Error: connect ECONNREFUSED 127.0.0.1:4101', '    at TCPConnectWrap.afterConnect'];

const unexpected: GraphQLFormattedError = {
  message: 'request to http://127.0.0.1:4101/graphql failed, reason: connect ECONNREFUSED',
  locations: [{ line: 1, column: 3 }],
  path: ['organisations', 0, 'scorecard'],
  extensions: {
    code: 'DOWNSTREAM_SERVICE_ERROR',
    serviceName: 'synergy',
    stacktrace: STACK,
    exception: { stacktrace: STACK },
  },
};

describe('error masking in production', () => {
  const mask = createErrorMasker(false);

  it('turns an unexpected error into INTERNAL_SERVER_ERROR, keeping only path and subgraph name', () => {
    expect(mask(unexpected)).toEqual({
      message: 'Internal server error',
      path: ['organisations', 0, 'scorecard'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'synergy' },
    });
  });

  it('masks an error with no code at all, and adds no path when there was none', () => {
    expect(
      mask({
        message: 'Cannot read properties of undefined (reading "id")',
        extensions: { stacktrace: STACK },
      }),
    ).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('masks an error with no extensions', () => {
    expect(mask({ message: 'SELECT * FROM measurements failed', path: ['organisation'] })).toEqual({
      message: 'Internal server error',
      path: ['organisation'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('masks INTERNAL_SERVER_ERROR raised by a resolver, hiding its message', () => {
    const masked = mask({
      message: 'relation "targets" does not exist',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: STACK },
    });
    expect(masked.message).toBe('Internal server error');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('passes BAD_USER_INPUT with its message and details but no stack trace', () => {
    const error: GraphQLFormattedError = {
      message: 'numerator 2299 must not be above its denominator (1483) for a percentage',
      path: ['submitMeasurement'],
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'numerator',
        value: 2299,
        rule: 'must not be above its denominator (1483) for a percentage',
        stacktrace: STACK,
      },
    };
    expect(mask(error)).toEqual({
      message: 'numerator 2299 must not be above its denominator (1483) for a percentage',
      path: ['submitMeasurement'],
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'numerator',
        value: 2299,
        rule: 'must not be above its denominator (1483) for a percentage',
      },
    });
  });

  it('passes SUBGRAPH_UNAVAILABLE with its message but no stack trace or exception', () => {
    const error: GraphQLFormattedError = {
      message:
        'Subgraph "synergy" did not answer within 5000 ms; its fields are null in this answer.',
      path: ['organisations', 0, 'indicators'],
      extensions: {
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'synergy',
        reason: 'TIMEOUT',
        stacktrace: STACK,
        exception: { stacktrace: STACK },
      },
    };
    expect(mask(error)).toEqual({
      message:
        'Subgraph "synergy" did not answer within 5000 ms; its fields are null in this answer.',
      path: ['organisations', 0, 'indicators'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'synergy', reason: 'TIMEOUT' },
    });
  });

  it.each([
    'NOT_FOUND',
    'FORBIDDEN',
    'UNAUTHENTICATED',
    'GRAPHQL_VALIDATION_FAILED',
    'GRAPHQL_PARSE_FAILED',
  ])('passes %s with its message', (code) => {
    const masked = mask({
      message: `a ${code} message for the client`,
      extensions: { code, stacktrace: STACK },
    });
    expect(masked).toEqual({ message: `a ${code} message for the client`, extensions: { code } });
  });

  it('does not change the error it was given', () => {
    const error: GraphQLFormattedError = {
      message: 'bad',
      extensions: { code: 'BAD_USER_INPUT', stacktrace: STACK },
    };
    mask(error);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', stacktrace: STACK });
  });
});

describe('error masking in development', () => {
  const mask = createErrorMasker(true);

  it('passes an unexpected error unchanged, stack trace and all', () => {
    expect(mask(unexpected)).toBe(unexpected);
    expect(mask(unexpected)).toEqual({
      message: 'request to http://127.0.0.1:4101/graphql failed, reason: connect ECONNREFUSED',
      locations: [{ line: 1, column: 3 }],
      path: ['organisations', 0, 'scorecard'],
      extensions: {
        code: 'DOWNSTREAM_SERVICE_ERROR',
        serviceName: 'synergy',
        stacktrace: STACK,
        exception: { stacktrace: STACK },
      },
    });
  });

  it('passes a client error unchanged, stack trace and all', () => {
    const error: GraphQLFormattedError = {
      message: 'period "2024-13" must be a period',
      extensions: { code: 'BAD_USER_INPUT', stacktrace: STACK },
    };
    expect(mask(error)).toEqual({
      message: 'period "2024-13" must be a period',
      extensions: { code: 'BAD_USER_INPUT', stacktrace: STACK },
    });
  });
});
