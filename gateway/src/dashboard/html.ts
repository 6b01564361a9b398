import { escapeXml } from './charts/svg.ts';

/** Escapes text for HTML element content and attribute values: the same five characters as the charts' SVG. */
export const escapeHtml = (value: unknown): string => escapeXml(String(value ?? ''));

/**
 * A template tag that escapes every interpolated value unless it is already HTML (`raw`), so a
 * page cannot be broken (or scripted) by an organisation's or indicator's name.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Marks trusted markup (an SVG chart the server drew) as HTML. */
export const raw = (markup: string) => new Html(markup);

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}
