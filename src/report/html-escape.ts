// The one escaping path from data to HTML/SVG: `esc()` for values, `html` templates that apply it to
// every interpolation, so a cluster string cannot reach a page unescaped by accident.

/** Markup that is already safe: produced by `html` templates, never built from raw data. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes any value for HTML/SVG text or a quoted attribute (control characters become U+FFFD). */
export function esc(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
}

/** Renders one interpolated value: SafeHtml as is, arrays joined, nullish/false empty, the rest escaped. */
function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return esc(value);
}

/** Tagged template: escapes every interpolation unless it is SafeHtml. Attributes must be quoted. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Joins fragments (SafeHtml or escaped values) with a separator. */
export function joinHtml(parts: unknown[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(renderValue).join(separator));
}

/** Marks a trusted, code-authored constant (CSS, script, SVG path data built from numbers) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
