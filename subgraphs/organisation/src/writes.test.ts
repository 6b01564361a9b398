import { describe, expect, it } from 'vitest';
import { findEntry, loadRegistry, userError } from '@crossgov/schema';
import { count } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { appendChanges, readChanges } from './changes/change.store.ts';
import { changeLog } from './db/schema.ts';
import { type Writer, writeWhole } from './writes.ts';

const norfolk = findEntry(loadRegistry(), 'norfolk');
const entry = (key: string, actor: string) => ({
  organisationId: norfolk.id,
  record: 'target' as const,
  key,
  previous: null,
  current: { key },
  actor,
});

describe(`one write sequence for every store, on ${STORAGE}`, () => {
  const database = seededDatabase(norfolk);
  const changes = async () => (await database.db.select({ n: count() }).from(changeLog))[0]!.n;
  const writer: Writer = { authorise: () => {}, actor: 'ana' };
  // A write as the stores make one: its rows, then their change log entries.
  const logEach = async (
    tx: Parameters<typeof appendChanges>[0],
    actor: string,
    keys: readonly string[],
  ) =>
    appendChanges(
      tx,
      keys.map((key) => entry(key, actor)),
    );

  it('writes the checked records, naming the writer in the change log, and says how many it accepted', async () => {
    const before = await changes();
    expect(
      await writeWhole(
        database.db,
        writer,
        async () => ({ records: ['written-a', 'written-b'], problems: [] }),
        logEach,
      ),
    ).toEqual({ accepted: 2 });
    expect(await changes()).toBe(before + 2);
    expect(
      await readChanges(database.db, { organisationId: norfolk.id, key: 'written-b' }),
    ).toMatchObject([{ actor: 'ana' }]);
  });

  it('authorises before it reads a row: a refused writer is never validated', async () => {
    const refused: Writer = {
      authorise: () => {
        throw userError('FORBIDDEN', 'not yours');
      },
      actor: 'eve',
    };
    let validated = false;
    const before = await changes();
    await expect(
      writeWhole(
        database.db,
        refused,
        async () => {
          validated = true;
          return { records: ['a'], problems: [] };
        },
        logEach,
      ),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(validated).toBe(false);
    expect(await changes()).toBe(before);
  });

  it('refuses a submission with any problem whole, listing every problem, and writes none of its valid rows', async () => {
    const before = await changes();
    const problems = [
      { row: 2, field: 'value', value: 'x', rule: 'must be a finite number' },
      { row: 5, field: 'period', value: '2019-13', rule: 'must be a period' },
    ];
    await expect(
      writeWhole(
        database.db,
        writer,
        async () => ({ records: ['a', 'c', 'd'], problems }),
        logEach,
      ),
    ).rejects.toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        problemCount: 2,
        problems: [
          { row: 2, field: 'value' },
          { row: 5, field: 'period' },
        ],
      },
    });
    expect(await changes()).toBe(before);
  });

  it('writes in one transaction: a write that fails half way leaves nothing of it', async () => {
    const before = await changes();
    const failing = async (
      tx: Parameters<typeof appendChanges>[0],
      actor: string,
      keys: readonly string[],
    ) => {
      await logEach(tx, actor, keys);
      throw new Error('the connection dropped');
    };
    await expect(
      writeWhole(database.db, writer, async () => ({ records: ['a', 'b'], problems: [] }), failing),
    ).rejects.toThrow('the connection dropped');
    expect(await changes()).toBe(before);
  });
});
