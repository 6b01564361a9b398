import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { type RefuseOptions, type SubmissionProblem, refuse } from './problems.ts';

const problem = (row: number, value: unknown = 'n/a'): SubmissionProblem => ({
  row,
  field: 'value',
  value,
  rule: 'must be a number',
});
const refusal = (problems: SubmissionProblem[], options?: RefuseOptions) => {
  try {
    refuse(problems, options);
  } catch (error) {
    return error as GraphQLError & {
      extensions: { problems: SubmissionProblem[]; problemCount: number; stoppedAtRow?: number };
    };
  }
  throw new Error('refuse returned');
};

describe('refusing a submission', () => {
  it('lists every problem of a short list, in the message and in extensions, as before', () => {
    const error = refusal([problem(3), problem(2)]);
    expect(error.message).toBe(
      '2 invalid rows: row 2: value "n/a" must be a number; row 3: value "n/a" must be a number',
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problemCount: 2 });
    expect(error.extensions.problems.map((p) => p.row)).toEqual([2, 3]);
    expect(error.extensions.stoppedAtRow).toBeUndefined();
  });

  it('names the first 50 in the message and all of them in extensions, up to the cap', () => {
    const error = refusal(Array.from({ length: 80 }, (_, i) => problem(i + 2)));
    expect(error.message).toMatch(
      /^80 invalid rows: row 2: .*; row 51: value "n\/a" must be a number; and 30 more problems \(all of them are in extensions\.problems\)$/,
    );
    expect(error.extensions.problems).toHaveLength(80);
  });

  it('lists the first problems past the cap (1000 by default) and counts them all', () => {
    const error = refusal(Array.from({ length: 2500 }, (_, i) => problem(i + 2)));
    expect(error.extensions.problems).toHaveLength(1000);
    expect(error.extensions.problems.at(-1)!.row).toBe(1001);
    expect(error.extensions.problemCount).toBe(2500);
    expect(error.message).toMatch(
      /^2500 invalid rows: .*; and 2450 more problems \(2500 in all; the first 1000 are in extensions\.problems\)$/,
    );
    const small = refusal(
      Array.from({ length: 12 }, (_, i) => problem(i + 2)),
      { maxProblems: 3 },
    );
    expect(small.extensions.problems).toHaveLength(3);
    expect(small.message).toBe(
      '12 invalid rows: row 2: value "n/a" must be a number; row 3: value "n/a" must be a number; row 4: value "n/a" must be a number; and 9 more problems (12 in all; the first 3 are in extensions.problems)',
    );
  });

  it('says reading stopped, and that there may be more, when the file was not read to its end', () => {
    const error = refusal(
      Array.from({ length: 5 }, (_, i) => problem(i + 2)),
      { maxProblems: 5, stoppedAtRow: 6 },
    );
    expect(error.message).toMatch(
      /^at least 5 invalid rows: row 2: .*; reading stopped at row 6 after 5 problems, so later rows were not checked$/,
    );
    expect(error.extensions).toMatchObject({ problemCount: 5, stoppedAtRow: 6 });
  });

  it('repeats at most 200 characters of a value or context from the file', () => {
    const long = 'x'.repeat(1_000_000);
    const error = refusal([
      {
        row: 2,
        context: `indicator ${long}`,
        field: 'value',
        value: long,
        rule: 'must be a number',
      },
    ]);
    const [listed] = error.extensions.problems;
    expect(listed!.value).toBe(`${'x'.repeat(200)}... (1000000 characters)`);
    expect(listed!.context).toBe(`indicator ${'x'.repeat(190)}... (1000010 characters)`);
    expect(error.message.length).toBeLessThan(1000);
  });
});
