import { describe, expect, it } from 'vitest';
import type { V1DaemonSetStatus, V1Pod } from '@kubernetes/client-node';
import { judgeRolloutHalted, kubectlRolloutStatus } from '../../../src/expect/index.js';
import { daemonSet, node, pod, revision, snapshot, type DsOpts } from './fixtures.js';

describe('kubectlRolloutStatus', () => {
  const ds = (generation: number, status: V1DaemonSetStatus, opts: DsOpts = {}) => daemonSet({ generation, ...opts, status });

  it('errors for OnDelete (and any non-RollingUpdate type), as kubectl does', () => {
    expect(kubectlRolloutStatus(ds(1, {} as V1DaemonSetStatus, { updateStrategy: { type: 'OnDelete' } }))).toEqual({
      done: true, message: '', error: 'rollout status is only available for RollingUpdate strategy type',
    });
    const untyped = ds(1, {} as V1DaemonSetStatus); delete untyped.spec!.updateStrategy;
    expect(kubectlRolloutStatus(untyped).error).toBeDefined();
  });

  it('waits for the spec update to be observed before looking at any counter', () => {
    const s = { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } as V1DaemonSetStatus;
    expect(kubectlRolloutStatus(ds(2, s))).toEqual({ done: false, message: 'Waiting for daemon set spec update to be observed...' });
  });

  it('then waits for updated pods', () => {
    const s = { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 } as V1DaemonSetStatus;
    expect(kubectlRolloutStatus(ds(2, s))).toEqual({ done: false, message: 'Waiting for daemon set "log-agent" rollout to finish: 1 out of 3 new pods have been updated...' });
  });

  it('then waits for available pods', () => {
    const s = { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } as V1DaemonSetStatus;
    expect(kubectlRolloutStatus(ds(2, s))).toEqual({ done: false, message: 'Waiting for daemon set "log-agent" rollout to finish: 2 of 3 updated pods are available...' });
  });

  it('is done when all are updated and available, ignoring misscheduled; an empty DaemonSet is trivially done', () => {
    const s = { observedGeneration: 3, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 2 } as V1DaemonSetStatus;
    expect(kubectlRolloutStatus(ds(2, s))).toEqual({ done: true, message: 'daemon set "log-agent" successfully rolled out' });
    expect(kubectlRolloutStatus(ds(1, { observedGeneration: 1 } as V1DaemonSetStatus)).done).toBe(true);
  });
});

describe('judgeRolloutHalted', () => {
  const nodes = ['worker-1', 'worker-2', 'worker-3', 'worker-4'].map((n) => node(n));
  const revisions = [revision('h1', 1), revision('h2', 2)];
  const bad = (n: number) => pod(`log-agent-new${n}`, { node: `worker-${n}`, hash: 'h2', waiting: 'ImagePullBackOff', createdSecondsAgo: 30 });
  const old = (n: number) => pod(`log-agent-old${n}`, { node: `worker-${n}`, hash: 'h1' });
  const halted = (pods: V1Pod[], opts: DsOpts = {}) =>
    judgeRolloutHalted(snapshot(daemonSet({ generation: 2, ...opts }), nodes, pods, revisions));

  it('passes when one node holds the broken pod and the others keep their old available pods', () => {
    const j = halted([bad(1), old(2), old(3), old(4)]);
    expect(j).toMatchObject({ ok: true, problems: [], summary: 'rollout halted at 0/4 nodes updated, 1 unavailable (maxUnavailable 1)' });
    expect(j.nodes.map((n) => [n.node, n.ok])).toEqual([['worker-1', false], ['worker-2', true], ['worker-3', true], ['worker-4', true]]);
    expect(j.nodes[0]!.observed).toBe('pod log-agent-new1 ImagePullBackOff (revision 2)');
  });

  it('fails when more nodes than maxUnavailable lost their available pod', () => {
    const j = halted([bad(1), bad(2), old(3), old(4)]);
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual(['2 of 4 nodes unavailable, more than maxUnavailable 1: worker-1, worker-2']);
    expect(j.summary).toBe('rollout halted at 0/4 nodes updated, 2 unavailable (maxUnavailable 1); worker-1: pod log-agent-new1 ImagePullBackOff (revision 2)');
  });

  it('counts a node with no pod at all as unavailable', () => {
    expect(halted([bad(1), old(3), old(4)]).problems).toEqual([
      '2 of 4 nodes unavailable, more than maxUnavailable 1: worker-1, worker-2',
      expect.stringMatching(/^counted as the DaemonSet controller counts, 1 of 4 \(within maxUnavailable 1\): it leaves out worker-2, with no daemon pod at all; update\.go rollingUpdate/),
    ]);
  });

  it('scales a percentage budget, rounding up', () => {
    const opts: DsOpts = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '30%', maxSurge: 0 } } };
    expect(halted([bad(1), bad(2), old(3), old(4)], opts).ok).toBe(true); // ceil(1.2) = 2
    expect(halted([bad(1), bad(2), bad(3), old(4)], opts).ok).toBe(false);
  });

  it('fails when the rollout completed instead', () => {
    const good = [1, 2, 3, 4].map((n) => pod(`new${n}`, { node: `worker-${n}`, hash: 'h2' }));
    expect(halted(good).problems).toEqual(['rollout is complete (4/4 nodes updated), not halted']);
  });

  it('fails while the controller has not observed the new generation', () => {
    expect(halted([old(1), old(2), old(3), old(4)], { observedGeneration: 1 }).problems)
      .toEqual(['status.observedGeneration is 1, metadata.generation is 2: the controller has not seen the new spec']);
  });

  it('fails for OnDelete and for an empty DaemonSet', () => {
    expect(halted([old(1), old(2), old(3), old(4)], { updateStrategy: { type: 'OnDelete' } }).problems)
      .toEqual(['updateStrategy is OnDelete: there is no rolling update to halt']);
    expect(halted([], { nodeSelector: { none: 'x' } }).problems).toContain('no node should run the daemon (desiredNumberScheduled 0)');
  });

  describe('with surge (maxSurge 1, maxUnavailable 0)', () => {
    const surge: DsOpts = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } };

    it('passes when the broken pod waits beside an available old pod and no node is unavailable', () => {
      const j = halted([old(1), bad(1), old(2), old(3), old(4)], surge);
      expect(j).toMatchObject({ ok: true, summary: 'rollout halted at 0/4 nodes updated, 0 unavailable (maxUnavailable 0), 1 surging (maxSurge 1)' });
      expect(j.nodes.every((n) => n.ok)).toBe(true);
    });

    it('fails when more nodes surge than maxSurge', () => {
      expect(halted([old(1), bad(1), old(2), bad(2), old(3), old(4)], surge).problems)
        .toEqual(['2 of 4 nodes surging, more than maxSurge 1: worker-1, worker-2']);
    });

    it('fails when an old available pod was deleted before its replacement became available', () => {
      expect(halted([bad(1), old(2), old(3), old(4)], surge).problems)
        .toEqual(['1 of 4 nodes unavailable, more than maxUnavailable 0: worker-1']);
    });
  });
});
