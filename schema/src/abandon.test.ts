import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CallerGone, abandonedSignal, stopsWhenAborted } from './abandon.ts';

const response = (writableFinished: boolean) =>
  Object.assign(new EventEmitter(), { writableFinished }) as unknown as ServerResponse;

describe('abandonedSignal', () => {
  it('aborts when the connection closes before the answer was sent', () => {
    const res = response(false);
    const signal = abandonedSignal(res)!;
    res.emit('close');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CallerGone);
  });

  it('stays quiet when the answer was sent', () => {
    const res = response(true);
    const signal = abandonedSignal(res)!;
    res.emit('close');
    expect(signal.aborted).toBe(false);
  });
});

describe('stopsWhenAborted', () => {
  const db = {
    calls: 0,
    select() {
      this.calls += 1;
      return 'rows';
    },
    name: 'db',
  };

  it('passes queries through until the signal aborts, then refuses to start one', () => {
    const controller = new AbortController();
    const guarded = stopsWhenAborted(db, controller.signal);
    expect(guarded.select()).toBe('rows');
    expect(guarded.name).toBe('db');
    controller.abort(new CallerGone('gone'));
    expect(() => guarded.select()).toThrow(CallerGone);
    expect(db.calls).toBe(1);
  });

  it('is the database itself without a signal', () => {
    expect(stopsWhenAborted(db, undefined)).toBe(db);
  });
});
