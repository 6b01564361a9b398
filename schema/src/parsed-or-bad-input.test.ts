import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parsedOrBadInput } from './parsed-or-bad-input.ts';
import { parsePeriod } from './periods.ts';

const refusal = (run: () => unknown): GraphQLError => {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected a refusal');
};

describe('parsed or bad input', () => {
  it('gives what the parser makes of the value', () => {
    expect(parsedOrBadInput('period', '2026-Q1', parsePeriod)).toMatchObject({
      label: '2026-Q1',
      start: '2026-01-01',
      end: '2026-03-31',
    });
  });

  it("refuses a value the parser refuses as BAD_USER_INPUT, naming the field, the value and the parser's rule", () => {
    const error = refusal(() => parsedOrBadInput('from', '2026-13', parsePeriod));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'from',
      value: '2026-13',
    });
    expect(error.extensions.rule).toMatch(
      /^period "2026-13" is not in a known format: use YYYY-MM \(month\)/,
    );
    expect(error.message).toBe(`from "2026-13" ${String(error.extensions.rule)}`);
  });

  it("words the rule as the caller says, from the parser's message", () => {
    const error = refusal(() =>
      parsedOrBadInput(
        'periodType',
        'QUARTER',
        () => {
          throw new RangeError('cannot be built');
        },
        (rule) => `${rule} (indicator x)`,
      ),
    );
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'periodType',
      value: 'QUARTER',
      rule: 'cannot be built (indicator x)',
    });
  });

  it("lets any other error through as it is: a fault of ours is not the caller's bad input", () => {
    const fault = new TypeError('cannot read properties of undefined');
    expect(
      refusal(() =>
        parsedOrBadInput('period', '2026-01', () => {
          throw fault;
        }),
      ),
    ).toBe(fault);
  });
});
