// The budget race (issue 12): BENCH_ROLLOUTS rolling updates at maxUnavailable 10 % on one cluster,
// the budget invariant judged on every change of each. A broken budget fails that rollout's step
// with its evidence; the next rollout starts once this one has completed. test/bench/budget-race.ts
// runs it on a cluster whose controller manager logs its own count, and puts the two side by side.
import { defineScenario } from '../../../src/index.js';

const rollouts = Number(process.env.BENCH_ROLLOUTS ?? 10);

export default defineScenario({
  name: `budget race: ${rollouts} rolling updates at maxUnavailable 10%`,
  // Run on an existing cluster (test/bench/budget-race.ts makes one), which keeps its own nodes.
  cluster: { nodes: Number(process.env.BENCH_NODES ?? 100) },
  timeout: '60m',
  async run(t) {
    const ds = await t.daemonSet({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.0' }] } },
      },
    });
    await t.step('covered', () => ds.expectCoverage().within('10m'));
    t.log(`epoch ${t.wallClock(0).toISOString()}`);
    for (let i = 1; i <= rollouts; i++) {
      try {
        await t.step(`rolling update ${i}`, async () => {
          t.invariant('within budget', ds.withinBudget, ds);
          await ds.setImage(`busybox:1.${i}`);
          await ds.expectRolloutComplete().within('10m');
        });
      } catch {
        await ds.expectRolloutComplete().within('10m');
      }
    }
  },
});
