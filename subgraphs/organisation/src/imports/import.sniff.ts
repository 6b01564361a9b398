import type { SubmissionProblem } from '../problems.ts';

// What a file is, judged from its first bytes, so that a workbook, a PDF or a binary sent by
// mistake is refused with a sentence a department can act on, not a CSV parser's complaint about
// raw bytes.

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or another ZIP archive' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'an old-style Excel workbook (.xls) or another Office document',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
];

/** How many bytes of the start of a file {@link sniff} reads. */
export const SNIFF_BYTES = 4096;

const startsWith = (head: Buffer, bytes: readonly number[]) =>
  head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

function isUtf8(head: Buffer): boolean {
  try {
    // A sample cut from a longer file may end inside a character: decoding as a stream forgives
    // only that, and still refuses a stray byte anywhere else; a whole short file is decoded whole.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length >= SNIFF_BYTES });
    return true;
  } catch {
    return false;
  }
}

/**
 * A problem naming what the file is and what is expected, when the start of the file shows it is
 * not the `expected` format's text; null when it may be.
 */
export function sniff(head: Buffer, expected: 'csv' | 'json'): SubmissionProblem | null {
  const wanted =
    expected === 'csv'
      ? 'a CSV file: UTF-8 text, one record per line, fields separated by commas (from a spreadsheet, Save As "CSV UTF-8 (Comma delimited)")'
      : 'a JSON document in UTF-8: an array of measurements, or an object with indicators, measurements, targets, milestoneReturns or confidenceAssessments';
  const refuse = (what: string): SubmissionProblem => ({
    row: 1,
    field: 'file',
    value: null,
    rule: `is ${what}, not text this import can read; send ${wanted}`,
  });
  for (const signature of SIGNATURES)
    if (startsWith(head, signature.bytes)) return refuse(signature.what);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]))
    return refuse('UTF-16 text (as Excel\'s "Unicode Text" saves it)');
  const controls = [...head.subarray(0, SNIFF_BYTES)].filter(
    (b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d),
  ).length;
  if (head.includes(0) || controls > head.length * 0.01) return refuse('a binary file');
  if (!isUtf8(head)) return refuse('text in an encoding other than UTF-8 (perhaps Windows-1252)');
  if (expected === 'csv') {
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    const header = text.split(/\r?\n/, 1)[0] ?? '';
    if (!header.includes(',') && header.includes(';')) {
      return {
        row: 1,
        field: 'file',
        value: null,
        rule: `is separated by semicolons (as spreadsheets save CSV where a comma is the decimal mark); send ${wanted}, with full stops as decimal points`,
      };
    }
    if (!header.includes(',') && header.includes('\t'))
      return { row: 1, field: 'file', value: null, rule: `is separated by tabs; send ${wanted}` };
    if (/^\s*[[{]/.test(text))
      return {
        row: 1,
        field: 'file',
        value: null,
        rule: 'looks like JSON, not CSV; send it as application/json (or ?format=json), or send a CSV file',
      };
  }
  return null;
}
