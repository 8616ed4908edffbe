// Reads one field of an untrusted YAML document, naming the file and field path in the one-line error.
import { UsageError } from '../util/errors.js';

/** A value at a path inside a file; every accessor checks its type and says where it went wrong. */
export class FieldReader {
  constructor(readonly file: string, readonly path: string, readonly value: unknown) {}

  /** Throws the one-line error for this field. */
  fail(problem: string): never {
    throw new UsageError(`${this.file}: ${this.path || '(top level)'}: ${problem}`);
  }

  /** The child field `key` (absent children read as undefined). */
  get(key: string): FieldReader {
    const obj = this.value !== null && typeof this.value === 'object' && !Array.isArray(this.value) ? this.value as Record<string, unknown> : {};
    return new FieldReader(this.file, this.path ? `${this.path}.${key}` : key, obj[key]);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** An object (mapping); `{}` when absent and not required. */
  object(required = false): Record<string, unknown> {
    if (!this.present) return required ? this.fail('required (a mapping)') : {};
    if (typeof this.value !== 'object' || Array.isArray(this.value)) this.fail(`expected a mapping, got ${describe(this.value)}`);
    return this.value as Record<string, unknown>;
  }

  /** The elements of a list, each as a reader; `[]` when absent and not required. */
  list(required = false): FieldReader[] {
    if (!this.present) return required ? this.fail('required (a list)') : [];
    if (!Array.isArray(this.value)) this.fail(`expected a list, got ${describe(this.value)}`);
    return (this.value as unknown[]).map((v, i) => new FieldReader(this.file, `${this.path}[${i}]`, v));
  }

  string(): string {
    if (!this.present) this.fail('required (a string)');
    if (typeof this.value !== 'string') this.fail(`expected a string, got ${describe(this.value)}`);
    return this.value as string;
  }

  optionalString(): string | undefined {
    return this.present ? this.string() : undefined;
  }

  /** A string from a fixed set. */
  oneOf<T extends string>(allowed: readonly T[], fallback?: T): T {
    if (!this.present && fallback !== undefined) return fallback;
    const s = this.string();
    if (!(allowed as readonly string[]).includes(s)) this.fail(`"${s}" is not one of ${allowed.map((a) => a || '""').join(', ')}`);
    return s as T;
  }

  /** A whole number >= min. */
  integer(min = 0): number {
    if (!this.present) this.fail('required (a whole number)');
    if (typeof this.value !== 'number' || !Number.isInteger(this.value) || this.value < min) this.fail(`expected a whole number >= ${min}, got ${describe(this.value)}`);
    return this.value as number;
  }

  optionalInteger(min = 0): number | undefined {
    return this.present ? this.integer(min) : undefined;
  }

  boolean(fallback?: boolean): boolean {
    if (!this.present && fallback !== undefined) return fallback;
    if (typeof this.value !== 'boolean') this.fail(`expected true or false, got ${describe(this.value)}`);
    return this.value as boolean;
  }

  /** A mapping of strings to strings (labels, nodeSelector); `{}` when absent. */
  stringMap(): Record<string, string> {
    const obj = this.object();
    for (const [k, v] of Object.entries(obj)) if (typeof v !== 'string') this.get(k).fail(`expected a string, got ${describe(v)} (quote it)`);
    return obj as Record<string, string>;
  }

  /** An RFC 3339 time. */
  time(): string {
    const s = this.string();
    if (Number.isNaN(Date.parse(s))) this.fail(`"${s}" is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)`);
    return s;
  }
}

/** A short description of a value's kind for error messages. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
