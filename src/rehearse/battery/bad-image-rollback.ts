// Battery step: a bad image halts the rollout within budget; rollback restores coverage without restarting untouched pods.
import { noRestarts } from '../../index.js';
import { fromFullCoverage, type BatteryStep } from './battery-step.js';

export const badImageRollback: BatteryStep = {
  id: 'bad-image',
  title: 'a bad image halts within budget, rollback restores without restarting untouched pods',
  skipReason: (target) => (target.check.rollout.strategy === 'OnDelete' ? 'updateStrategy OnDelete: a bad image reaches no node until its pod is deleted (see the OnDelete step)' : undefined),
  async run(t, ds) {
    await fromFullCoverage(ds);
    const budget = t.invariant('never more nodes without an available pod than the budget', ds.withinBudget, ds);
    const pushed = await ds.badImage('pull-error');
    // Halted = the broken shape is reached and stays for 10 s without progressing further.
    const halted = await ds.expectRolloutHalted().within('90s', { stableFor: '10s' });
    t.timing('bad image -> rollout halted', pushed, halted);
    // The budget is the rollout's promise; during the rollback a stuck surge pod beside a serving old one is not a lost node.
    budget();
    const before = [...ds.podsByNode().values()].flat().filter((p) => p.status?.containerStatuses?.[0]?.ready);
    const rolledBack = await ds.rollback();
    const covered = await ds.expectCoverage().within('90s');
    t.timing('rollback -> coverage restored', rolledBack, covered);
    const after = [...ds.podsByNode().values()].flat();
    t.assert('rollback restarts no pod that was never updated', noRestarts(before, after));
  },
};
