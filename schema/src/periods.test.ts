import { describe, expect, it } from 'vitest';
import {
  type Period,
  monthsOf,
  nextPeriod,
  parsePeriod,
  periodStarting,
  shiftPeriod,
} from './periods.ts';
import { PeriodType } from './types/enums.ts';

const period = (label: string, type: PeriodType, start: string, end: string): Period => ({
  label,
  type,
  start,
  end,
});

describe('period parsing', () => {
  describe('months', () => {
    it('reads 2024-01 as the whole of January 2024', () => {
      expect(parsePeriod('2024-01')).toEqual(
        period('2024-01', PeriodType.MONTH, '2024-01-01', '2024-01-31'),
      );
    });

    it('reads 2024-04 as a 30-day month', () => {
      expect(parsePeriod('2024-04')).toEqual(
        period('2024-04', PeriodType.MONTH, '2024-04-01', '2024-04-30'),
      );
    });

    it('reads 2024-12 as ending on 31 December of the same year', () => {
      expect(parsePeriod('2024-12')).toEqual(
        period('2024-12', PeriodType.MONTH, '2024-12-01', '2024-12-31'),
      );
    });

    it('ends February 2024 on the 29th (leap year)', () => {
      expect(parsePeriod('2024-02').end).toBe('2024-02-29');
    });

    it('ends February 2023 on the 28th', () => {
      expect(parsePeriod('2023-02').end).toBe('2023-02-28');
    });

    it('ends February 2000 on the 29th (divisible by 400)', () => {
      expect(parsePeriod('2000-02').end).toBe('2000-02-29');
    });

    it('ends February 1900 on the 28th (century not divisible by 400)', () => {
      expect(parsePeriod('1900-02').end).toBe('1900-02-28');
    });
  });

  describe('calendar quarters', () => {
    it.each([
      ['2024-Q1', '2024-01-01', '2024-03-31'],
      ['2024-Q2', '2024-04-01', '2024-06-30'],
      ['2024-Q3', '2024-07-01', '2024-09-30'],
      ['2024-Q4', '2024-10-01', '2024-12-31'],
    ])('reads %s as %s to %s', (label, start, end) => {
      expect(parsePeriod(label)).toEqual(period(label, PeriodType.QUARTER, start, end));
    });

    it('ends 2023-Q1 on 31 March whatever February does', () => {
      expect(parsePeriod('2023-Q1').end).toBe('2023-03-31');
    });
  });

  describe('financial quarters (April to March)', () => {
    it('reads 2024/25-Q1 as April to June 2024', () => {
      expect(parsePeriod('2024/25-Q1')).toEqual(
        period('2024/25-Q1', PeriodType.FINANCIAL_QUARTER, '2024-04-01', '2024-06-30'),
      );
    });

    it('reads 2024/25-Q2 as July to September 2024', () => {
      expect(parsePeriod('2024/25-Q2')).toEqual(
        period('2024/25-Q2', PeriodType.FINANCIAL_QUARTER, '2024-07-01', '2024-09-30'),
      );
    });

    it('reads 2024/25-Q3 as October to December 2024', () => {
      expect(parsePeriod('2024/25-Q3')).toEqual(
        period('2024/25-Q3', PeriodType.FINANCIAL_QUARTER, '2024-10-01', '2024-12-31'),
      );
    });

    it('reads 2024/25-Q4 as January to March 2025', () => {
      expect(parsePeriod('2024/25-Q4')).toEqual(
        period('2024/25-Q4', PeriodType.FINANCIAL_QUARTER, '2025-01-01', '2025-03-31'),
      );
    });

    it('reads 1999/00-Q4 as January to March 2000 across the century', () => {
      expect(parsePeriod('1999/00-Q4')).toEqual(
        period('1999/00-Q4', PeriodType.FINANCIAL_QUARTER, '2000-01-01', '2000-03-31'),
      );
    });
  });

  describe('calendar years', () => {
    it('reads 2024 as 1 January to 31 December 2024', () => {
      expect(parsePeriod('2024')).toEqual(
        period('2024', PeriodType.YEAR, '2024-01-01', '2024-12-31'),
      );
    });
  });

  describe('financial years', () => {
    it('reads 2024/25 as 1 April 2024 to 31 March 2025', () => {
      expect(parsePeriod('2024/25')).toEqual(
        period('2024/25', PeriodType.FINANCIAL_YEAR, '2024-04-01', '2025-03-31'),
      );
    });

    it('reads 1999/00 as 1 April 1999 to 31 March 2000', () => {
      expect(parsePeriod('1999/00')).toEqual(
        period('1999/00', PeriodType.FINANCIAL_YEAR, '1999-04-01', '2000-03-31'),
      );
    });
  });

  describe('invalid labels', () => {
    it.each([
      '2024-13',
      '2024-00',
      '2024-Q5',
      '2024-Q0',
      '2024/25-Q5',
      'Jan 2024',
      '',
      '24-01',
      '2024-1',
      ' 2024-01',
    ])('rejects %j with a RangeError naming the value', (label) => {
      expect(() => parsePeriod(label)).toThrow(RangeError);
      expect(() => parsePeriod(label)).toThrow(`period "${label}" is not in a known format`);
    });

    it('rejects 2024/26 because the years are not consecutive', () => {
      expect(() => parsePeriod('2024/26')).toThrow(RangeError);
      expect(() => parsePeriod('2024/26')).toThrow(
        'period "2024/26" is not a financial year: 2024/26 must be consecutive years',
      );
    });

    it('rejects 2024/26-Q1 because the years are not consecutive', () => {
      expect(() => parsePeriod('2024/26-Q1')).toThrow(
        'period "2024/26-Q1" is not a financial year',
      );
    });

    it('lists the accepted formats in the message', () => {
      expect(() => parsePeriod('Jan 2024')).toThrow('YYYY/YY-Qn (April-March financial quarter)');
    });
  });
});

describe('the next period', () => {
  it('follows December 2024 with January 2025', () => {
    expect(nextPeriod(parsePeriod('2024-12'))).toEqual(
      period('2025-01', PeriodType.MONTH, '2025-01-01', '2025-01-31'),
    );
  });

  it('follows January 2024 with a leap February', () => {
    expect(nextPeriod(parsePeriod('2024-01'))).toEqual(
      period('2024-02', PeriodType.MONTH, '2024-02-01', '2024-02-29'),
    );
  });

  it('follows 2024-Q4 with 2025-Q1', () => {
    expect(nextPeriod(parsePeriod('2024-Q4'))).toEqual(
      period('2025-Q1', PeriodType.QUARTER, '2025-01-01', '2025-03-31'),
    );
  });

  it('follows 2024-Q1 with 2024-Q2', () => {
    expect(nextPeriod(parsePeriod('2024-Q1')).label).toBe('2024-Q2');
  });

  it('follows 2024/25-Q3 with 2024/25-Q4 across the calendar year end', () => {
    expect(nextPeriod(parsePeriod('2024/25-Q3'))).toEqual(
      period('2024/25-Q4', PeriodType.FINANCIAL_QUARTER, '2025-01-01', '2025-03-31'),
    );
  });

  it('follows 2024/25-Q4 with 2025/26-Q1 across the financial year end', () => {
    expect(nextPeriod(parsePeriod('2024/25-Q4'))).toEqual(
      period('2025/26-Q1', PeriodType.FINANCIAL_QUARTER, '2025-04-01', '2025-06-30'),
    );
  });

  it('follows 2024/25-Q1 with 2024/25-Q2', () => {
    expect(nextPeriod(parsePeriod('2024/25-Q1')).label).toBe('2024/25-Q2');
  });

  it('follows 1999/00-Q4 with 2000/01-Q1', () => {
    expect(nextPeriod(parsePeriod('1999/00-Q4')).label).toBe('2000/01-Q1');
  });

  it('follows 2024 with 2025', () => {
    expect(nextPeriod(parsePeriod('2024'))).toEqual(
      period('2025', PeriodType.YEAR, '2025-01-01', '2025-12-31'),
    );
  });

  it('follows 2024/25 with 2025/26', () => {
    expect(nextPeriod(parsePeriod('2024/25'))).toEqual(
      period('2025/26', PeriodType.FINANCIAL_YEAR, '2025-04-01', '2026-03-31'),
    );
  });

  it('follows 1999/00 with 2000/01', () => {
    expect(nextPeriod(parsePeriod('1999/00'))).toEqual(
      period('2000/01', PeriodType.FINANCIAL_YEAR, '2000-04-01', '2001-03-31'),
    );
  });
});

describe('the period starting in a month', () => {
  it('gives the month itself for MONTH', () => {
    expect(periodStarting(PeriodType.MONTH, 2024, 3)).toEqual(
      period('2024-03', PeriodType.MONTH, '2024-03-01', '2024-03-31'),
    );
  });

  it.each([
    [1, '2024-Q1'],
    [3, '2024-Q1'],
    [4, '2024-Q2'],
    [9, '2024-Q3'],
    [10, '2024-Q4'],
    [12, '2024-Q4'],
  ])('puts month %i of 2024 in calendar quarter %s', (month, label) => {
    expect(periodStarting(PeriodType.QUARTER, 2024, month).label).toBe(label);
  });

  it.each([
    [4, '2024/25-Q1'],
    [6, '2024/25-Q1'],
    [7, '2024/25-Q2'],
    [10, '2024/25-Q3'],
    [12, '2024/25-Q3'],
  ])('puts month %i of 2024 in financial quarter %s', (month, label) => {
    expect(periodStarting(PeriodType.FINANCIAL_QUARTER, 2024, month).label).toBe(label);
  });

  it.each([
    [1, '2023/24-Q4'],
    [3, '2023/24-Q4'],
  ])('puts month %i of 2024 in financial quarter %s of the year before', (month, label) => {
    expect(periodStarting(PeriodType.FINANCIAL_QUARTER, 2024, month).label).toBe(label);
  });

  it('gives the calendar year for YEAR', () => {
    expect(periodStarting(PeriodType.YEAR, 2024, 7)).toEqual(
      period('2024', PeriodType.YEAR, '2024-01-01', '2024-12-31'),
    );
  });

  it('gives 2024/25 for April 2024', () => {
    expect(periodStarting(PeriodType.FINANCIAL_YEAR, 2024, 4).label).toBe('2024/25');
  });

  it('gives 2023/24 for March 2024', () => {
    expect(periodStarting(PeriodType.FINANCIAL_YEAR, 2024, 3).label).toBe('2023/24');
  });

  it('gives 1999/00 for January 2000', () => {
    expect(periodStarting(PeriodType.FINANCIAL_YEAR, 2000, 1)).toEqual(
      period('1999/00', PeriodType.FINANCIAL_YEAR, '1999-04-01', '2000-03-31'),
    );
  });

  it('refuses month 13 with the RangeError of the label it builds', () => {
    expect(() => periodStarting(PeriodType.MONTH, 2024, 13)).toThrow('period "2024-13"');
  });
});

describe('spans of several months', () => {
  it("reads 2016-10/2017-09 as the twelve months October 2016 to September 2017 (the Transactions Explorer's 2017-Q4)", () => {
    expect(parsePeriod('2016-10/2017-09')).toEqual(
      period('2016-10/2017-09', PeriodType.TWELVE_MONTHS, '2016-10-01', '2017-09-30'),
    );
  });

  it('refuses a span that is not twelve months, saying how long it is', () => {
    expect(() => parsePeriod('2016-10/2017-06')).toThrow(
      'period "2016-10/2017-06" is not twelve months: 2016-10 to 2017-06 is 9 months',
    );
    expect(() => parsePeriod('2017-09/2016-10')).toThrow('is not twelve months');
  });

  it('follows one rolling year with the next a quarter later, as they are published', () => {
    expect(nextPeriod(parsePeriod('2016-10/2017-09')).label).toBe('2017-01/2017-12');
    expect(periodStarting(PeriodType.TWELVE_MONTHS, 2016, 10).label).toBe('2016-10/2017-09');
  });

  it("reads 2014/15-2016/17 as three financial years taken together (LGBF's 2014-17)", () => {
    expect(parsePeriod('2014/15-2016/17')).toEqual(
      period('2014/15-2016/17', PeriodType.FINANCIAL_YEARS, '2014-04-01', '2017-03-31'),
    );
    expect(monthsOf(parsePeriod('2010/11-2013/14'))).toBe(48);
  });

  it('refuses several financial years that are one, reversed or not consecutive pairs', () => {
    expect(() => parsePeriod('2014/15-2014/15')).toThrow('is not several financial years');
    expect(() => parsePeriod('2016/17-2014/15')).toThrow('is not several financial years');
    expect(() => parsePeriod('2014/16-2016/17')).toThrow('must be consecutive years');
  });

  it('moves several financial years on by a year, keeping their length, and back by a year for the year before', () => {
    expect(nextPeriod(parsePeriod('2014/15-2016/17')).label).toBe('2015/16-2017/18');
    expect(shiftPeriod(parsePeriod('2010/11-2013/14'), -12).label).toBe('2009/10-2012/13');
    expect(shiftPeriod(parsePeriod('2016-10/2017-09'), -12).label).toBe('2015-10/2016-09');
  });
});
