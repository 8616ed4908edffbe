import { describe, expect, it } from 'vitest';
import type { V1DaemonSetStatus } from '@kubernetes/client-node';
import { coverageRuledOut, expectedStatus, judgeCoverage, type ClusterSnapshot, type CoverageOptions } from '../../../src/expect/index.js';
import { healthySnapshot, node, pod, revision, type PodOpts } from './fixtures.js';

// Every mix of pod states on three nodes (one pod each, none, or two), with the status as the
// controller would write it for them, as it was before, or with one counter off.
function snapshots(): ClusterSnapshot[] {
  const kinds: Array<PodOpts | undefined> = [
    {}, undefined, { ready: false }, { hash: 'h1' }, { terminating: true }, { phase: 'Pending', waiting: 'ImagePullBackOff', ready: false },
  ];
  const out: ClusterSnapshot[] = [];
  for (const a of kinds) for (const b of kinds) for (const c of kinds) {
    const s = healthySnapshot();
    s.revisions = [revision('h1', 1), revision('h2', 2)];
    s.pods = [a, b, c].flatMap((k, i) => (k ? [pod(`log-agent-p${i + 1}`, { node: `worker-${i + 1}`, hash: 'h2', ...k })] : []));
    const truth = expectedStatus(s);
    for (const status of [truth, { ...truth, numberAvailable: truth.numberAvailable + 1 }, s.daemonSet.status] as V1DaemonSetStatus[]) {
      out.push({ ...s, daemonSet: { ...s.daemonSet, status: { ...s.daemonSet.status, ...status } } });
    }
  }
  const twoOnOne = healthySnapshot();
  twoOnOne.pods.push(pod('log-agent-p4', { node: 'worker-1', createdSecondsAgo: 5 }));
  twoOnOne.daemonSet.status = { ...twoOnOne.daemonSet.status, ...expectedStatus(twoOnOne) };
  const misscheduled = healthySnapshot();
  misscheduled.nodes.push(node('tainted', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }));
  misscheduled.pods.push(pod('log-agent-p5', { node: 'tainted' }));
  misscheduled.daemonSet.status = { ...misscheduled.daemonSet.status, ...expectedStatus(misscheduled) };
  return [...out, twoOnOne, misscheduled, healthySnapshot()];
}

describe('coverageRuledOut', () => {
  it('never rules out a state judgeCoverage passes, and rules out most that it fails', () => {
    for (const opts of [{}, { allowMisscheduled: true }, { ignoreStatusCounters: true }] as CoverageOptions[]) {
      let passed = 0;
      let ruledOut = 0;
      for (const s of snapshots()) {
        const ok = judgeCoverage(s, opts).ok;
        const why = coverageRuledOut(s.daemonSet, opts);
        if (ok) {
          passed++;
          expect(why, `ruled out a covered state: ${judgeCoverage(s, opts).summary}`).toBeUndefined();
        } else if (why !== undefined) ruledOut++;
      }
      expect(passed).toBeGreaterThan(0);
      if (!opts.ignoreStatusCounters) expect(ruledOut).toBeGreaterThan(100);
    }
  });

  it('says which counter of a rollout under way falls short', () => {
    const s = healthySnapshot();
    s.daemonSet.status = { ...s.daemonSet.status!, updatedNumberScheduled: 1 };
    expect(coverageRuledOut(s.daemonSet)).toBe('status.updatedNumberScheduled is 1 of 3');
    s.daemonSet.metadata!.generation = 3;
    expect(coverageRuledOut(s.daemonSet)).toBe('status.observedGeneration is 1, metadata.generation is 3');
    expect(coverageRuledOut(healthySnapshot().daemonSet)).toBeUndefined();
  });

  it('leaves counters alone under ignoreStatusCounters, and an empty DaemonSet under allowEmpty', () => {
    const s = healthySnapshot();
    s.daemonSet.status = { ...s.daemonSet.status!, numberAvailable: 0 };
    expect(coverageRuledOut(s.daemonSet, { ignoreStatusCounters: true })).toBeUndefined();
    s.daemonSet.status = { ...s.daemonSet.status!, desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0 };
    expect(coverageRuledOut(s.daemonSet)).toBe('status.desiredNumberScheduled is 0');
    expect(coverageRuledOut(s.daemonSet, { allowEmpty: true })).toBeUndefined();
  });
});
