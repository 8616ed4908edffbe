import { describe, expect, it } from 'vitest';
import { formatMs, parseDuration } from '../../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['2m', 120_000], ['1m30s', 90_000], ['1h', 3_600_000], ['1.5s', 1500], [250, 250], [0, 0],
  ] as const)('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['5 minutes', '', '10', 's', '1m 30s', '-1s', '1d'])('rejects %j and names the field', (input) => {
    expect(() => parseDuration(input, 'timeout')).toThrow(/^timeout: ".*" is not a duration/);
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-5, 'within')).toThrow(/within: -5 is not a duration/);
    expect(() => parseDuration(Number.NaN, 'within')).toThrow(/is not a duration/);
  });

  it('formats for people', () => {
    expect(formatMs(850)).toBe('850ms');
    expect(formatMs(12_345)).toBe('12.3s');
    expect(formatMs(125_000)).toBe('2m05s');
  });
});
