// The report's timeline is built change by change as the recorder hands them out.
import { describe, expect, it } from 'vitest';
import type { RecordedChange } from '../../../src/observe/recorder.js';
import { TimelineBuilder } from '../../../src/report/timeline-summary.js';
import { node, pod, revision } from '../expect/fixtures.js';

const change = (atMs: number, kind: RecordedChange['kind'], type: RecordedChange['type'], object: object): RecordedChange => ({ atMs, kind, type, object: object as never });

describe('TimelineBuilder', () => {
  it('keeps one entry per change that alters what the report shows, with revision numbers learnt on the way', () => {
    const b = new TimelineBuilder();
    b.add(change(1, 'ControllerRevision', 'ADDED', revision('h2', 2)));
    b.add(change(2, 'Pod', 'ADDED', pod('a', { node: 'w1', hash: 'h2', ready: false })));
    b.add(change(3, 'Pod', 'MODIFIED', pod('a', { node: 'w1', hash: 'h2', ready: false }))); // a resourceVersion bump
    b.add(change(4, 'Pod', 'MODIFIED', pod('a', { node: 'w1', hash: 'h2' })));
    b.add(change(5, 'Node', 'MODIFIED', node('w1')));
    b.add(change(6, 'Pod', 'DELETED', pod('a', { node: 'w1', hash: 'h2', terminating: true })));
    b.add(change(7, 'Pod', 'ADDED', pod('a', { node: 'w1', hash: 'h2' })));
    const t = b.timeline();
    expect(t.map((e) => [e.atMs, e.kind, e.type])).toEqual([
      [1, 'ControllerRevision', 'ADDED'], [2, 'Pod', 'ADDED'], [4, 'Pod', 'MODIFIED'], [5, 'Node', 'MODIFIED'], [6, 'Pod', 'DELETED'], [7, 'Pod', 'ADDED'],
    ]);
    expect(t[1]!.summary).toMatchObject({ node: 'w1', ready: false, revision: 2 });
    expect(t[2]!.summary).toMatchObject({ ready: true, revision: 2 });
  });

  it('keeps Events out of the timeline, one report per event with its first sighting, warnings first', () => {
    const b = new TimelineBuilder();
    const ev = (name: string, type: string, reason: string, count: number) => ({ metadata: { namespace: 'ns', name }, type, reason, count, message: `${reason} happened`, involvedObject: { kind: 'Pod', name: 'a' } });
    b.add(change(10, 'Event', 'ADDED', ev('e1', 'Normal', 'Scheduled', 1)));
    b.add(change(20, 'Event', 'ADDED', ev('e2', 'Warning', 'BackOff', 1)));
    b.add(change(30, 'Event', 'MODIFIED', ev('e2', 'Warning', 'BackOff', 4)));
    expect(b.timeline()).toEqual([]);
    expect(b.events()).toEqual([
      { atMs: 20, type: 'Warning', reason: 'BackOff', object: 'Pod/a', message: 'BackOff happened', count: 4 },
      { atMs: 10, type: 'Normal', reason: 'Scheduled', object: 'Pod/a', message: 'Scheduled happened', count: 1 },
    ]);
  });

  it('folds routine events beyond the first 20 of a reason into one entry, and keeps every warning', () => {
    const b = new TimelineBuilder();
    const ev = (i: number, type: string, reason: string, kind: string) => ({ metadata: { namespace: 'ns', name: `e${reason}${i}` }, type, reason, count: 2, message: `${reason} ${i}`, involvedObject: { kind, name: `o${i}` } });
    for (let i = 0; i < 50; i++) b.add(change(100 + i, 'Event', 'ADDED', ev(i, 'Normal', 'Scheduled', 'Pod')));
    for (let i = 0; i < 30; i++) b.add(change(200 + i, 'Event', 'ADDED', ev(i, 'Warning', 'BackOff', 'Pod')));
    for (let i = 0; i < 3; i++) b.add(change(300 + i, 'Event', 'ADDED', ev(i, 'Normal', 'RegisteredNode', 'Node')));
    const events = b.events();
    expect(events.filter((e) => e.type === 'Warning')).toHaveLength(30);
    expect(events.filter((e) => e.reason === 'RegisteredNode').map((e) => e.object)).toEqual(['Node/o0', 'Node/o1', 'Node/o2']);
    const scheduled = events.filter((e) => e.reason === 'Scheduled');
    expect(scheduled).toHaveLength(21);
    expect(scheduled.slice(0, 20).map((e) => e.object)).toEqual(Array.from({ length: 20 }, (_, i) => `Pod/o${i}`));
    expect(scheduled[20]).toEqual({ atMs: 120, type: 'Normal', reason: 'Scheduled', object: 'Pod/*', message: 'Scheduled 20', count: 60, folded: 30 });
  });
});
