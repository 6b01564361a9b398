import { describe, expect, it } from 'vitest';
import { isCalendarDay } from './calendar-day.ts';

describe('calendar days', () => {
  it.each(['2024-08-30', '2024-02-29', '2000-02-29', '2023-12-31', '2024-01-01'])(
    'takes %s as a real day',
    (text) => {
      expect(isCalendarDay(text)).toBe(true);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-02-30',
    '2024-04-31',
    '2024-01-32',
    '2024-01-00',
    '2024-13-01',
    '2024-00-10',
    '2021-13-45',
  ])('refuses %s, which has the form but is no day', (text) => {
    expect(isCalendarDay(text)).toBe(false);
  });

  it.each([
    '2024-08',
    '2024-Q1',
    '2024',
    '24-08-30',
    '2024-8-30',
    '30/08/2024',
    '2024-08-30T00:00:00Z',
    ' 2024-08-30',
    '',
  ])('refuses %j, which is not written YYYY-MM-DD', (text) => {
    expect(isCalendarDay(text)).toBe(false);
  });
});
