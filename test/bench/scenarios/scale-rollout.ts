// The bench's scale scenario: BENCH_NODES simulated nodes, a DaemonSet applied until covered, then
// a rolling update at maxUnavailable 10 %. Run by test/bench/scale.ts, which reads what it logs.
import { defineScenario } from '../../../src/index.js';

const nodes = Number(process.env.BENCH_NODES ?? 100);

export default defineScenario({
  name: `scale: ${nodes} nodes, rolling update at maxUnavailable 10%`,
  cluster: { nodes },
  timeout: '30m',
  async run(t) {
    const ds = await t.daemonSet({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }] } },
      },
    });
    const applied = ds.current();
    void applied;
    const covered = await t.step('apply -> covered', () => ds.expectCoverage().within('20m'));
    t.log(`bench: covered at ${covered.atMs}`);
    await t.step('rolling update', async () => {
      t.invariant('within budget', ds.withinBudget, ds);
      const started = await ds.setImage('busybox:1.37');
      const done = await ds.expectRolloutComplete().within('20m');
      t.log(`bench: rollout ${done.atMs - started.atMs}`);
    });
  },
});
