// A judge for expectation unit tests whose "cluster" is one number in the recorder state.
import type { RecorderState } from '../../src/observe/recorder.js';
import type { Judgement } from '../../src/expect/index.js';

/** Holds while the state's value is at least `min`. */
export const atLeast = (min: number) => (s: RecorderState): Judgement => {
  const v = (s as unknown as { value: number }).value;
  return { ok: v >= min, summary: `value ${v}`, nodes: [], problems: v >= min ? [] : [`value ${v} < ${min}`] };
};
