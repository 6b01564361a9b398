import { describe, expect, it } from 'vitest';
import { SNIFF_BYTES, sniff } from './import.sniff.ts';

const SEND_CSV =
  'send a CSV file: UTF-8 text, one record per line, fields separated by commas (from a spreadsheet, Save As "CSV UTF-8 (Comma delimited)")';
const SEND_JSON = 'send a JSON document in UTF-8';
const BOM = [0xef, 0xbb, 0xbf];

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))),
  );
/** The problem sniff gives, which is always about the whole file at its first line. */
const refusal = (rule: string | ReturnType<typeof expect.stringContaining>) => ({
  row: 1,
  field: 'file',
  value: null,
  rule,
});

describe('sniffing the start of an imported file', () => {
  describe('text it may read', () => {
    it('passes ordinary CSV, with and without a byte-order mark, with LF or CRLF line ends', () => {
      expect(sniff(bytes('code,period,value\n636,2019-03,98\n'), 'csv')).toBeNull();
      expect(sniff(bytes(BOM, 'code,period,value\r\n636,2019-03,98\r\n'), 'csv')).toBeNull();
      expect(sniff(bytes('code,period,value\r\n636,2019-03,98\r\n'), 'csv')).toBeNull();
    });

    it('passes CSV with a pound sign written in UTF-8', () => {
      expect(sniff(bytes('code,period,value,note\n636,2019-03,98,£5 a head\n'), 'csv')).toBeNull();
    });

    it('passes ordinary JSON, with and without a byte-order mark, with CRLF line ends', () => {
      expect(
        sniff(
          bytes('{"measurements": [{"indicatorCode": "636", "period": "2019-03", "value": 98}]}'),
          'json',
        ),
      ).toBeNull();
      expect(
        sniff(
          bytes(BOM, '[\r\n  {"indicatorCode": "636", "period": "2019-03", "value": 98}\r\n]\r\n'),
          'json',
        ),
      ).toBeNull();
    });

    it('passes an empty file, for the parser to say it has no header', () => {
      expect(sniff(Buffer.alloc(0), 'csv')).toBeNull();
    });
  });

  describe('files that are not text', () => {
    it('names an .xlsx workbook (ZIP signature 50 4B 03 04) and asks for CSV', () => {
      expect(sniff(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'csv')).toEqual(
        refusal(
          `is an Excel workbook (.xlsx) or another ZIP archive, not text this import can read; ${SEND_CSV}`,
        ),
      );
    });

    it('names an .xlsx workbook sent as JSON and asks for JSON', () => {
      expect(sniff(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'json')).toEqual(
        refusal(
          expect.stringMatching(
            /^is an Excel workbook \(\.xlsx\) or another ZIP archive, not text this import can read; send a JSON document in UTF-8/,
          ),
        ),
      );
    });

    it('names an old .xls workbook (D0 CF 11 E0 A1 B1 1A E1)', () => {
      expect(
        sniff(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x00]), 'csv'),
      ).toEqual(
        refusal(
          `is an old-style Excel workbook (.xls) or another Office document, not text this import can read; ${SEND_CSV}`,
        ),
      );
    });

    it('names a PDF document (%PDF)', () => {
      expect(sniff(bytes('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), 'csv')).toEqual(
        refusal(`is a PDF document, not text this import can read; ${SEND_CSV}`),
      );
      expect(sniff(bytes('%PDF-1.4\n'), 'json')!.rule).toMatch(
        /^is a PDF document, .*; send a JSON document in UTF-8/,
      );
    });

    it('names a gzip-compressed file (1F 8B)', () => {
      expect(sniff(bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]), 'csv')).toEqual(
        refusal(`is a gzip-compressed file, not text this import can read; ${SEND_CSV}`),
      );
    });

    it('names UTF-16 text with a byte-order mark, little- or big-endian', () => {
      const littleEndian = bytes([0xff, 0xfe], [...Buffer.from('code,period', 'utf16le')]);
      expect(sniff(littleEndian, 'csv')).toEqual(
        refusal(
          `is UTF-16 text (as Excel's "Unicode Text" saves it), not text this import can read; ${SEND_CSV}`,
        ),
      );
      expect(sniff(bytes([0xfe, 0xff, 0x00, 0x63, 0x00, 0x6f]), 'json')!.rule).toMatch(
        /^is UTF-16 text .*; send a JSON document in UTF-8/,
      );
    });

    it('names a binary file by its NUL bytes', () => {
      expect(sniff(bytes('code,period,value\n', [0x00, 0x01, 0x02, 0x00], '636\n'), 'csv')).toEqual(
        refusal(`is a binary file, not text this import can read; ${SEND_CSV}`),
      );
      expect(sniff(bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), 'json')!.rule).toMatch(
        /^is a binary file, .*; send a JSON document in UTF-8/,
      );
    });

    it('names text not in UTF-8 by a lone pound sign (A3 in Windows-1252) in the middle', () => {
      const windows1252 = bytes(
        'code,period,value,note\n636,2019-03,98,',
        [0xa3],
        '5 for a coffee\n636,2019-04,97,none\n',
      );
      expect(sniff(windows1252, 'csv')).toEqual(
        refusal(
          `is text in an encoding other than UTF-8 (perhaps Windows-1252), not text this import can read; ${SEND_CSV}`,
        ),
      );
      expect(
        sniff(bytes('{"note": "', [0xa3], '5 for a coffee", "measurements": []}'), 'json')!.rule,
      ).toMatch(/^is text in an encoding other than UTF-8 .*; send a JSON document in UTF-8/);
    });

    it('names text not in UTF-8 when the foreign byte is among the last four of a short file', () => {
      expect(
        sniff(bytes('code,period,value,service_id\n636,2019-03,98,Caf', [0xe9], '\n'), 'csv'),
      ).toEqual(refusal(expect.stringContaining('encoding other than UTF-8')));
    });

    it('does not mistake a multi-byte character cut at the end of a sample of a longer file for another encoding', () => {
      const pound = Buffer.from('£', 'utf8'); // C2 A3
      const start = 'code,period,value,note\n';
      const rows = '636,2019-03,98,tea\n'.repeat(Math.ceil(SNIFF_BYTES / 19));
      // The sample is the first SNIFF_BYTES (or more) bytes of a longer file, cut inside the pound sign.
      expect(sniff(bytes(start, rows, '636,2019-04,97,', [pound[0]!]), 'csv')).toBeNull();
    });
  });

  describe('CSV that is not separated by commas', () => {
    it('names a semicolon-separated header and asks for commas and full stops', () => {
      expect(sniff(bytes('code;period;value\n636;2019-03;98,5\n'), 'csv')).toEqual(
        refusal(
          `is separated by semicolons (as spreadsheets save CSV where a comma is the decimal mark); ${SEND_CSV}, with full stops as decimal points`,
        ),
      );
    });

    it('names a tab-separated header', () => {
      expect(sniff(bytes('code\tperiod\tvalue\r\n636\t2019-03\t98\r\n'), 'csv')).toEqual(
        refusal(`is separated by tabs; ${SEND_CSV}`),
      );
    });

    it('reads the header after a byte-order mark', () => {
      expect(sniff(bytes(BOM, 'code;period;value\n'), 'csv')!.rule).toMatch(
        /^is separated by semicolons/,
      );
    });

    it('passes a comma-separated header with a semicolon or a tab inside a field', () => {
      expect(sniff(bytes('code,period,value,note\n636,2019-03,98,"a; b"\n'), 'csv')).toBeNull();
      expect(sniff(bytes('code,"period\tlabel",value\n'), 'csv')).toBeNull();
    });
  });

  describe('JSON sent as CSV', () => {
    const asJson = refusal(
      'looks like JSON, not CSV; send it as application/json (or ?format=json), or send a CSV file',
    );

    it('names an object, an array, and JSON after white space or a byte-order mark', () => {
      expect(sniff(bytes('{"measurements": [{"indicatorCode": "636"}]}'), 'csv')).toEqual(asJson);
      expect(
        sniff(bytes('[{"indicatorCode":"636","period":"2019-03","value":98}]'), 'csv'),
      ).toEqual(asJson);
      expect(sniff(bytes(BOM, '\r\n  {\r\n  "measurements": []\r\n}'), 'csv')).toEqual(asJson);
    });

    it('passes JSON expected as JSON', () => {
      expect(
        sniff(bytes('[{"indicatorCode":"636","period":"2019-03","value":98}]'), 'json'),
      ).toBeNull();
    });
  });

  it('says in every refusal what the file is and what to send', () => {
    const files = [
      bytes([0x50, 0x4b, 0x03, 0x04]),
      bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      bytes('%PDF-1.7'),
      bytes([0x1f, 0x8b, 0x08]),
      bytes([0xff, 0xfe, 0x63, 0x00]),
      bytes('a', [0x00], 'b'),
      bytes('code,note\n1,', [0xa3], '5 and more text after it\n'),
      bytes('code;period\n'),
      bytes('code\tperiod\n'),
      bytes('{"measurements": []}'),
    ];
    for (const file of files) {
      const problem = sniff(file, 'csv');
      expect(problem).toMatchObject({ row: 1, field: 'file', value: null });
      expect(problem!.rule).toMatch(/^(is|looks like) /);
      expect(problem!.rule).toMatch(/send (a CSV file|it as application\/json)/);
    }
    for (const file of files.slice(0, 7)) expect(sniff(file, 'json')!.rule).toContain(SEND_JSON);
  });
});
