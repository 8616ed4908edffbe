import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { noRestarts, unavailableWithinBudget } from '../../../src/expect/index.js';
import { daemonSet, healthySnapshot, node, pod, revision, snapshot, type DsOpts } from './fixtures.js';

describe('unavailableWithinBudget', () => {
  const nodes = ['w1', 'w2', 'w3'].map((n) => node(n));
  const revisions = [revision('h1', 1), revision('h2', 2)];
  const check = (pods: V1Pod[], opts: DsOpts = {}) => unavailableWithinBudget(snapshot(daemonSet(opts), nodes, pods, revisions));
  const old = (n: string, o = {}) => pod(`old-${n}`, { node: n, hash: 'h1', ...o });
  const fresh = (n: string, o = {}) => pod(`new-${n}`, { node: n, hash: 'h2', createdSecondsAgo: 20, ...o });

  it('passes on a healthy DaemonSet', () => {
    expect(unavailableWithinBudget(healthySnapshot())).toMatchObject({ ok: true, summary: '0/3 nodes unavailable (maxUnavailable 1)' });
  });

  it('without surge, an old+new pair counts as unavailable even when the old pod is available (rollingUpdate)', () => {
    expect(check([old('w1'), fresh('w1'), old('w2'), fresh('w3')]).ok).toBe(true);
    const j = check([old('w1'), fresh('w1'), old('w2'), fresh('w2'), fresh('w3')]);
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual(['2 of 3 nodes unavailable, more than maxUnavailable 1: w1, w2']);
  });

  it('counts excess pods, a missing pod, an unavailable pod and a node with only a terminating pod', () => {
    const opts: DsOpts = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } } };
    const j = check([old('w1'), pod('old-w1b', { node: 'w1', hash: 'h1' }), fresh('w2', { ready: false }), old('w3', { terminating: true })], opts);
    expect(j.summary).toBe('3/3 nodes unavailable (maxUnavailable 3)');
    expect(j.ok).toBe(true);
    expect(check([old('w1', { ready: false }), old('w2'), fresh('w3', { waiting: 'CrashLoopBackOff' })]).problems)
      .toEqual(['2 of 3 nodes unavailable, more than maxUnavailable 1: w1, w3']);
  });

  it('says when nodes with no daemon pod at all take the count over maxUnavailable: the controller leaves them out (update.go)', () => {
    // w1's old pod is gone and its new one not yet created, while the controller has just deleted w2's old pod
    const j = check([old('w2', { terminating: true }), fresh('w3')]);
    expect(j.ok).toBe(false);
    expect(j.problems[0]).toBe('2 of 3 nodes unavailable, more than maxUnavailable 1: w1, w2');
    expect(j.problems[1]).toMatch(/^counted as the DaemonSet controller counts, 1 of 3 \(within maxUnavailable 1\): it leaves out w1, with no daemon pod at all; update\.go rollingUpdate counts only nodes that have a daemon pod \("Deleted pods do not count as unavailable/);
    expect(j.problems).toHaveLength(2);
    // nodes with a terminating pod count for the controller too: no such line
    expect(check([old('w1', { terminating: true }), old('w2', { terminating: true }), fresh('w3')]).problems)
      .toEqual(['2 of 3 nodes unavailable, more than maxUnavailable 1: w1, w2']);
    // a podless node that does not explain the overshoot: the controller's count is over as well
    expect(check([old('w2', { terminating: true }), old('w3', { ready: false })]).problems)
      .toEqual(['3 of 3 nodes unavailable, more than maxUnavailable 1: w1, w2, w3']);
  });

  it('respects minReadySeconds through the injected now', () => {
    const opts: DsOpts = { minReadySeconds: 30 };
    expect(check([fresh('w1', { readyForSeconds: 10 }), fresh('w2', { readyForSeconds: 10 }), old('w3')], opts).ok).toBe(false);
    expect(check([fresh('w1', { readyForSeconds: 40 }), fresh('w2', { readyForSeconds: 10 }), old('w3')], opts).ok).toBe(true);
  });

  it('with surge, a node is available while its old pod is, and surging nodes are bounded by maxSurge', () => {
    const surge: DsOpts = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '34%' } } };
    const ok = check([old('w1'), fresh('w1', { ready: false }), old('w2'), fresh('w3')], surge);
    expect(ok).toMatchObject({ ok: true, summary: '0/3 nodes unavailable (maxUnavailable 0), 1 surging (maxSurge 2)' });
    const tooMany = check([old('w1'), fresh('w1', { ready: false }), old('w2'), fresh('w2', { ready: false }), old('w3'), fresh('w3', { ready: false })], surge);
    expect(tooMany.problems).toEqual(['3 of 3 nodes surging, more than maxSurge 2: w1, w2, w3']);
    expect(check([fresh('w1', { ready: false }), old('w2'), old('w3')], surge).problems)
      .toEqual(['1 of 3 nodes unavailable, more than maxUnavailable 0: w1']);
    // excess pods on a node count as surge (numSurge) and leave the node without a counted available pod
    const excess = check([old('w1'), old('w2'), fresh('w3'), pod('new-w3b', { node: 'w3', hash: 'h2' })], { ...surge, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    expect(excess.summary).toMatch(/^1\/3 nodes unavailable \(maxUnavailable 0\), 1 surging \(maxSurge 1\); w3: /);
    expect(excess.problems).toEqual(['1 of 3 nodes unavailable, more than maxUnavailable 0: w3']);
  });

  it('ignores nodes that should not run the daemon', () => {
    const j = check([old('w1'), old('w2'), old('w3')], { nodeSelector: { role: 'x' } });
    expect(j).toMatchObject({ ok: true, summary: '0/0 nodes unavailable (maxUnavailable 1)', nodes: [] });
  });

  it('fails for OnDelete, which has no budget', () => {
    expect(check([old('w1')], { updateStrategy: { type: 'OnDelete' } }).problems).toEqual(['updateStrategy is OnDelete: it has no rolling-update budget']);
  });
});

describe('noRestarts', () => {
  const a = pod('a', { node: 'w1', restarts: 1 });
  const b = pod('b', { node: 'w2' });

  it('passes when every pod is still there with the same restart counts', () => {
    const j = noRestarts([a, b], [b, a, pod('c', { node: 'w3' })]);
    expect(j).toMatchObject({ ok: true, summary: '0 of 2 pods restarted', problems: [] });
  });

  it('counts a pod whose UID is gone as a restart, even if a pod with the same name came back', () => {
    const j = noRestarts([a, b], [a, pod('b', { node: 'w2', uid: 'uid-b-2' })]);
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual(['w2: pod b is gone (uid uid-b): replaced or deleted']);
    expect(j.summary).toBe('1 of 2 pods restarted; w2: pod b is gone (uid uid-b): replaced or deleted');
  });

  it('counts a grown restartCount as a restart', () => {
    const j = noRestarts([a, b], [pod('a', { node: 'w1', restarts: 3 }), b]);
    expect(j.problems).toEqual(['w1: pod a restarted containers: agent 1 -> 3']);
  });
});
