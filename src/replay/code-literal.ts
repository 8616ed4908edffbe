// Prints plain data as a TypeScript literal a person can read and edit: unquoted keys where they may be,
// single quotes, short objects and arrays on one line, longer ones one entry per line.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ONE_LINE = 100;

/** A string literal in single quotes. */
export function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}'`;
}

/**
 * `value` as code at `indent` spaces, `used` characters into its line. Undefined object fields are left out; an undefined array
 * entry prints as `null`, as JSON would.
 *
 * @example
 * literal({ name: 'worker-1', labels: { 'kubernetes.io/os': 'linux' } })
 * // { name: 'worker-1', labels: { 'kubernetes.io/os': 'linux' } }
 */
export function literal(value: unknown, indent = 0, used = indent): string {
  const flat = oneLine(value);
  if (used + flat.length <= ONE_LINE || !value || typeof value !== 'object') return flat;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${literal(v ?? null, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)}: ${literal(v, indent + 2, indent + 4 + key(k).length)},`).join('\n')}\n${' '.repeat(indent)}}`;
}

function oneLine(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => oneLine(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
}

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : str(k);
}
