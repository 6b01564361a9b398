import { describe, expect, it } from 'vitest';
import { parseCsvImport } from './import.csv.ts';
import { parseJsonImport } from './import.parse.ts';

/** A CSV source that counts the chunks read from it, each `rows` lines of an unreadable value, for ever. */
function endlessBadRows(rows = 100) {
  const source = {
    chunksRead: 0,
    async *[Symbol.asyncIterator]() {
      yield Buffer.from('indicator_code,period,value\n');
      for (;;) {
        source.chunksRead += 1;
        yield Buffer.from('636,2019-03,n/a\n'.repeat(rows));
      }
    },
  };
  return source;
}

describe('reading an import stops at the problem cap', () => {
  it('stops reading a CSV at the line of the last problem it lists, however long the file', async () => {
    const source = endlessBadRows();
    const batch = await parseCsvImport(source, undefined, { maxProblems: 250 });
    expect(batch.problems).toHaveLength(250);
    expect(batch.stoppedAtRow).toBe(251);
    // It read little more than it needed (plus what the parser and its feeder hold ahead).
    expect(source.chunksRead).toBeLessThan(100);
  });

  it('stops at 1000 problems by default', async () => {
    const batch = await parseCsvImport(endlessBadRows());
    expect(batch.problems).toHaveLength(1000);
    expect(batch.stoppedAtRow).toBe(1001);
  });

  it('reads a file of fewer problems to its end', async () => {
    const batch = await parseCsvImport(
      'indicator_code,period,value\n636,2019-03,n/a\n636,2019-04,1\n',
      undefined,
      { maxProblems: 2 },
    );
    expect(batch.problems).toHaveLength(1);
    expect(batch.stoppedAtRow).toBeUndefined();
    expect(batch.measurements).toHaveLength(1);
  });

  it('refuses a line longer than a megabyte rather than buffering it to the end of the upload', async () => {
    const source = {
      async *[Symbol.asyncIterator]() {
        yield Buffer.from('indicator_code,period,value\n636,2019-03,');
        for (let i = 0; i < 64; i += 1) yield Buffer.alloc(64 * 1024, 'x');
      },
    };
    const batch = await parseCsvImport(source);
    expect(batch.problems).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'file',
        rule: expect.stringMatching(
          /^has a line longer than 1048576 characters, so reading stopped there/,
        ),
      }),
    ]);
  });

  it('stops reading a JSON file at the record of the last problem it lists', () => {
    const json = JSON.stringify({
      measurements: Array.from({ length: 50 }, () => ({
        indicatorCode: '636',
        period: '2019-03',
        value: 'n/a',
      })),
    });
    const batch = parseJsonImport(json, { maxProblems: 7 });
    expect(batch.problems).toHaveLength(7);
    expect(batch.stoppedAtRow).toBe(7);
    expect(batch.rows).toBe(7);
  });
});
