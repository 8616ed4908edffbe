// The rehearsal of one DaemonSet as a scenario: its objects applied to a copy of the cluster, then the battery, one step each.
// Copy this file (and the steps beside it) to rehearse your own way: every step is an ordinary rollcall scenario step.
import { defineScenario, currentRevision, revisionNumberOf, type DaemonSetHandle, type Scenario, type ScenarioContext } from '../../index.js';
import { mergePatch } from '../../kube/kube-client.js';
import { NAMESPACE_NODE_SELECTOR } from '../../twin/twin-model.js';
import { AssertionFailure } from '../../util/errors.js';
import type { RehearsalTarget } from '../rehearsal-target.js';
import { badImageRollback } from './bad-image-rollback.js';
import { StepSkipped, type BatteryStep } from './battery-step.js';
import { coverageMatchesCheck } from './coverage-matches-check.js';
import { nodeNotReady } from './node-not-ready.js';
import { MAX_CHURN_SECONDS, noExecuteChurn } from './noexecute-churn.js';
import { onDeleteWaits } from './on-delete-waits.js';
import { poolRotation } from './pool-rotation.js';
import { rollingUpdate, updateTimeoutSeconds } from './rolling-update.js';

/** The battery in the order it runs: rotation last, since it replaces nodes the other steps use. */
export const BATTERY: readonly BatteryStep[] = [coverageMatchesCheck, rollingUpdate, badImageRollback, onDeleteWaits, nodeNotReady, noExecuteChurn, poolRotation];

/** An upper bound for the whole battery on this DaemonSet: generous, so a slow control plane fails a step, not the scenario. */
export function batteryTimeoutSeconds(target: RehearsalTarget): number {
  const churn = target.churn.length ? Math.min(MAX_CHURN_SECONDS, ...target.churn.map((c) => c.seconds)) + 150 : 0;
  return 600 + updateTimeoutSeconds(target.check.rollout.waves, 0) + target.pools.length * 240 + churn;
}

/**
 * The scenario that rehearses one DaemonSet: the copy's nodes, the namespace's node selector, its
 * ServiceAccount, PriorityClass and PDBs, the DaemonSet itself, then every battery step. A step that
 * does not apply is skipped with its reason; a failed step does not stop the others.
 */
export function rehearsalScenario(target: RehearsalTarget, steps: readonly BatteryStep[] = BATTERY, observer?: StepObserver): Scenario {
  return defineScenario({
    name: `rehearse ${target.id}`,
    description: `The rehearsal battery on ${target.id}, on a copy of the cluster's ${target.nodes.length} nodes (${target.pools.length} pools).`,
    tags: ['rehearse'],
    cluster: { nodes: target.nodes },
    requires: ['node-add', 'node-remove', 'node-fail', 'pull-error'],
    timeout: `${batteryTimeoutSeconds(target)}s`,
    async run(t) {
      if (target.namespaceNodeSelector) {
        await t.kube.core.patchNamespace({ name: t.namespace, body: { metadata: { annotations: { [NAMESPACE_NODE_SELECTOR]: target.namespaceNodeSelector } } } }, mergePatch);
      }
      if (target.companions.length) await t.apply(structuredClone(target.companions));
      const ds = await t.daemonSet(structuredClone(target.daemonSet));
      const failed: string[] = [];
      for (const step of steps) {
        const skip = step.skipReason(target);
        const revision = ds.snapshot() && currentRevision(ds.snapshot()!)?.hash;
        try {
          await t.step(step.title, async () => {
            if (skip) throw new StepSkipped(skip);
            await step.run(observer ? observed(t, step.id, observer) : t, ds, target);
          });
        } catch (err) {
          if (err instanceof StepSkipped) continue;
          if (!(err instanceof AssertionFailure)) throw err;
          failed.push(`${step.id}: ${err.message}`);
          await restoreTemplate(t, ds, revision);
        }
      }
      if (failed.length) throw new AssertionFailure(`${failed.length} step(s) failed: ${failed.join(' | ')}`);
    },
  });
}

/** Told which step recorded which timings and log lines (the report's timings carry no step). */
export type StepObserver = (stepId: string, what: { timing?: string; log?: string }) => void;

// `t` as the step sees it, with its timings and log lines reported to the observer.
function observed(t: ScenarioContext, stepId: string, observer: StepObserver): ScenarioContext {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === 'timing') return (...args: Parameters<ScenarioContext['timing']>) => {
        try {
          return target.timing(...args);
        } finally {
          observer(stepId, { timing: args[0] });
        }
      };
      if (prop === 'log') return (line: string) => {
        observer(stepId, { log: line });
        target.log(line);
      };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * After a failed step, puts back the template the step started from (by hash: a rollback renumbers
 * revisions), so the next step starts covered if it can.
 */
async function restoreTemplate(t: ScenarioContext, ds: DaemonSetHandle, hash: string | undefined): Promise<void> {
  const s = ds.snapshot();
  const now = s && currentRevision(s)?.hash;
  if (!s || hash === undefined || now === undefined || now === hash) return;
  try {
    await ds.rollback(revisionNumberOf(hash, s.revisions));
  } catch (err) {
    t.log(`could not restore the template after the failed step: ${(err as Error).message}`);
  }
}
