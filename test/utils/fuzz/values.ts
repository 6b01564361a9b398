import type { Random } from './random.ts';

// Values no caller should send and every caller may: odd text, odd numbers, wrong types, and
// shapes too big or too deep. Each generator draws from the input's own Random.

/** Text that is unusual on purpose: control characters, NUL, lone surrogates, right-to-left marks, long runs. */
export function oddText(random: Random): string {
  return random.weighted<() => string>([
    [3, () => ''],
    [3, () => ' '],
    [4, () => 'x\u0000y'],
    [3, () => '\u0000'],
    [3, () => '\ud800'],
    [2, () => '\udfff\ud800'],
    [3, () => '\u202e2019-01\u202c'],
    [2, () => '\ufeff2019-01'],
    [2, () => '2019\u201301'],
    [2, () => '٢٠١٩-٠١'],
    [2, () => '\u2028\u2029'],
    [3, () => '😀'.repeat(random.size(2000))],
    [3, () => 'a'.repeat(random.size(100_000))],
    [2, () => '%00%ff%2e%2e%2f'],
    [2, () => '../../../../etc/passwd'],
    [2, () => "'; DROP TABLE measurements; --"],
    [2, () => '${jndi:ldap://x}'],
    [2, () => '<script>alert(1)</script>'],
    [2, () => '\\'],
    [2, () => '"'],
    [2, () => String.fromCharCode(...random.many(random.int(1, 40), () => random.int(0, 0xffff)))],
    [2, () => 'null'],
    [2, () => 'undefined'],
    [2, () => 'NaN'],
    [2, () => 'Infinity'],
    [2, () => '-Infinity'],
    [2, () => '1e308'],
    [2, () => '1e999'],
    [2, () => '0x10'],
    [2, () => '1_000'],
    [2, () => '１２'],
  ])();
}

/** Numbers at and past the edges: infinities as text (JSON has none), -0, the largest and smallest doubles. */
// prettier-ignore
const ODD_NUMBERS: (number | string)[] = [
  0, -0, 1, -1, 0.5, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e21, 1e-7, 99.99999999999999, 100.00000000000001, 123456789.123456789,
  'NaN', 'Infinity', '-Infinity', '1e999', '-0', '', '12%', '1,234', ' 7 ', '0x1F',
];

export function oddNumber(random: Random): number | string {
  return random.pick(ODD_NUMBERS);
}

/** Any JSON value of a wrong or odd type, sometimes big (arrays to 5,000 items) or deep (objects to 3,000 levels). */
export function oddValue(random: Random): unknown {
  return random.weighted<() => unknown>([
    [4, () => null],
    [4, () => oddNumber(random)],
    [4, () => oddText(random)],
    [2, () => random.chance(0.5)],
    [2, () => []],
    [2, () => ({})],
    [2, () => [oddNumber(random)]],
    [2, () => ({ [oddText(random).slice(0, 40) || 'k']: oddNumber(random) })],
    [1, () => random.many(random.size(5000), () => random.int(0, 9))],
    [1, () => deep(random.size(3000), random.chance(0.5) ? 'object' : 'array')],
  ])();
}

/** An object (or array) nested `levels` deep. */
export function deep(levels: number, shape: 'object' | 'array'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = shape === 'object' ? { a: value } : [value];
  return value;
}

/** A period as written, mostly valid, often not: a month that does not exist, a future year, a quarter 5. */
export function oddPeriod(random: Random): string {
  return random.weighted<() => string>([
    [6, () => `${random.int(2015, 2026)}-${String(random.int(1, 12)).padStart(2, '0')}`],
    [2, () => `${random.int(2015, 2026)}-Q${random.int(1, 4)}`],
    [2, () => `${random.int(2015, 2025)}/${String(random.int(16, 26)).padStart(2, '0')}`],
    [
      2,
      () =>
        `${random.int(2015, 2025)}/${String(random.int(16, 26)).padStart(2, '0')}-Q${random.int(0, 6)}`,
    ],
    [2, () => String(random.int(2015, 2026))],
    [3, () => `${random.int(2027, 2999)}-01`],
    [2, () => `2019-${random.pick(['00', '13', '1', '001', '99'])}`],
    [2, () => `2019-Q${random.pick(['0', '5', '', '-1'])}`],
    [1, () => '0000-01'],
    [1, () => '9999-12'],
    [1, () => '2019-02-30'],
    [1, () => '2019/20/21'],
    [3, () => oddText(random)],
  ])();
}

/** encodeURIComponent for any text: a lone surrogate (which it refuses) goes as U+FFFD, as a browser sends it. */
export const uriEncoded = (text: string) =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );
