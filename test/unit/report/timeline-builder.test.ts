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
});
