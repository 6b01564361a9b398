import { describe, expect, it } from 'vitest';
import { csvLines, neutralised } from './csv.ts';

describe('CSV for spreadsheets', () => {
  it.each([
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(A1:A2)',
    '\t=1+1',
    '\r=1+1',
  ])('neutralises the formula %j with an apostrophe', (text) => {
    expect(neutralised(text)).toBe(`'${text}`);
  });

  it('leaves ordinary text alone, and never touches numbers', () => {
    expect(neutralised('Norfolk County Council')).toBe('Norfolk County Council');
    const csv = csvLines(
      ['name', 'value', 'note'],
      [{ name: '=1+1', value: -5, note: 'ok' }],
      true,
    );
    expect(csv).toBe(`name,value,note\r\n'=1+1,-5,ok\r\n`);
  });

  it('keeps quoting: a neutralised cell with a comma is still one cell', () => {
    expect(csvLines(['name'], [{ name: '=A1,B1' }], false)).toBe(`"'=A1,B1"\r\n`);
  });
});
