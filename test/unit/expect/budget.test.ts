import { describe, expect, it } from 'vitest';
import { parseIntOrPercent, rollingBudget } from '../../../src/expect/index.js';
import { daemonSet } from './fixtures.js';

const rolling = (maxUnavailable?: number | string, maxSurge?: number | string) =>
  daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } });

describe('parseIntOrPercent', () => {
  it('returns integers as they are', () => {
    expect(parseIntOrPercent(3, 10, 'f')).toBe(3);
    expect(parseIntOrPercent(0, 10, 'f')).toBe(0);
  });

  it('rounds percentages up', () => {
    expect(parseIntOrPercent('25%', 10, 'f')).toBe(3); // 2.5 -> 3
    expect(parseIntOrPercent('10%', 3, 'f')).toBe(1); // 0.3 -> 1
    expect(parseIntOrPercent('50%', 4, 'f')).toBe(2);
    expect(parseIntOrPercent('0%', 4, 'f')).toBe(0);
    expect(parseIntOrPercent('100%', 7, 'f')).toBe(7);
    expect(parseIntOrPercent('10%', 0, 'f')).toBe(0);
  });

  it.each([['5'], ['abc'], ['5.5%'], ['-1%'], ['+5%'], ['150%'], [-1], [1.5]])('rejects %j with a TypeError naming the field', (v) => {
    expect(() => parseIntOrPercent(v, 10, 'spec.x.maxUnavailable')).toThrow(TypeError);
    expect(() => parseIntOrPercent(v, 10, 'spec.x.maxUnavailable')).toThrow(/^spec\.x\.maxUnavailable: /);
  });
});

describe('rollingBudget', () => {
  it('defaults to RollingUpdate with maxUnavailable 1, maxSurge 0', () => {
    const ds = daemonSet(); delete ds.spec!.updateStrategy;
    expect(rollingBudget(ds, 10)).toEqual({ maxUnavailable: 1, maxSurge: 0, strategy: 'RollingUpdate' });
    expect(rollingBudget(daemonSet({ updateStrategy: { type: 'RollingUpdate' } }), 10)).toEqual({ maxUnavailable: 1, maxSurge: 0, strategy: 'RollingUpdate' });
    expect(rollingBudget(rolling(undefined, undefined), 10)).toEqual({ maxUnavailable: 1, maxSurge: 0, strategy: 'RollingUpdate' });
  });

  it('scales percentages of desired, rounding up, for both fields', () => {
    expect(rollingBudget(rolling('30%', 0), 5)).toEqual({ maxUnavailable: 2, maxSurge: 0, strategy: 'RollingUpdate' });
    expect(rollingBudget(rolling(0, '30%'), 5)).toEqual({ maxUnavailable: 0, maxSurge: 2, strategy: 'RollingUpdate' });
  });

  it('falls back to maxUnavailable 1 when both are 0 and some node should run', () => {
    expect(rollingBudget(rolling('0%', 0), 4).maxUnavailable).toBe(1);
    expect(rollingBudget(rolling('10%', 0), 0).maxUnavailable).toBe(0);
  });

  it('OnDelete has no budget', () => {
    expect(rollingBudget(daemonSet({ updateStrategy: { type: 'OnDelete' } }), 4)).toEqual({ maxUnavailable: 0, maxSurge: 0, strategy: 'OnDelete' });
  });

  it('throws a TypeError naming the bad field', () => {
    expect(() => rollingBudget(rolling('two', 0), 4)).toThrow(/^spec\.updateStrategy\.rollingUpdate\.maxUnavailable: "two"/);
    expect(() => rollingBudget(rolling(0, '3'), 4)).toThrow(/^spec\.updateStrategy\.rollingUpdate\.maxSurge: "3"/);
    expect(() => rollingBudget(rolling(1, 1), 4)).toThrow(/maxSurge: 1 may not be set when maxUnavailable/);
    expect(() => rollingBudget(daemonSet({ updateStrategy: { type: 'Recreate' } }), 4)).toThrow(TypeError);
  });
});
