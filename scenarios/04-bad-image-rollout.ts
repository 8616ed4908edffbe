// A bad image must halt the rollout within maxUnavailable, for each kind of broken image; a
// rollback restores coverage without restarting the pods that were never updated.
import { defineScenario, noRestarts } from '../src/index.js';
import type { BadImageKind } from '../src/index.js';

const KINDS: BadImageKind[] = ['pull-error', 'crash-loop', 'never-ready'];

export default defineScenario({
  name: 'bad image halts the rollout, rollback recovers',
  description: 'For each bad-image kind: at most maxUnavailable nodes lose their pod, old pods elsewhere stay available; rollback restores coverage without restarts.',
  tags: ['rollout', 'rollback'],
  cluster: { nodes: 4 },
  requires: KINDS,
  timeout: '6m',
  async run(t) {
    // With a readiness probe: on real kubelets a never-ready image is only unready because of it.
    const ds = await t.daemonSet('manifests/log-collector-with-probe.yaml');
    await t.step('covered before the rollout', () => ds.expectCoverage().within('60s'));

    for (const kind of KINDS) {
      await t.step(`${kind}: the rollout halts within maxUnavailable`, async () => {
        t.invariant('never more nodes without an available pod than maxUnavailable', ds.withinBudget, ds);
        await ds.badImage(kind);
        // Halted = the broken shape is reached and stays for 10 s without progressing further.
        await ds.expectRolloutHalted().within('60s', { stableFor: '10s' });
      });

      await t.step(`${kind}: rollback restores coverage without restarting untouched pods`, async () => {
        const before = [...ds.podsByNode().values()].flat().filter((p) => p.status?.containerStatuses?.[0]?.ready);
        const rolledBack = await ds.rollback();
        const covered = await ds.expectCoverage().within('60s');
        t.timing(`${kind}: rollback -> coverage restored`, rolledBack, covered, { max: '60s' });
        const after = [...ds.podsByNode().values()].flat();
        t.assert('rollback restarts no pod that was never updated', noRestarts(before, after));
      });
    }
  },
});
