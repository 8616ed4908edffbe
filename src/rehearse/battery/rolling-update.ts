// Battery step: a rolling update to a new image tag stays within maxUnavailable/maxSurge, every new pod schedules, and it is timed.
import { currentRevision, describePod, judgement, podRevisionHash, type ClusterSnapshot, type Judgement } from '../../index.js';
import { fromFullCoverage, nextImage, type BatteryStep } from './battery-step.js';

/** Fails as soon as a pod of the current revision is Pending with PodScheduled=False: a surge pod whose hostPort is taken, say. */
export function newPodsSchedule(s: ClusterSnapshot): Judgement {
  const hash = currentRevision(s)?.hash;
  const stuck = s.pods.filter((p) => !p.metadata?.deletionTimestamp && podRevisionHash(p) === hash
    && p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
  return judgement(stuck.length ? `${stuck.length} new pod(s) unschedulable` : 'every new pod scheduled',
    stuck.map((p) => ({ node: String(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? p.spec?.nodeName ?? '?'), expected: 'the new pod schedules', observed: describePod(p, s), ok: false })),
    stuck.map((p) => describePod(p, s)));
}

/** Seconds to allow for the whole update: per wave 30 s (a kwok pod is Ready in a few), plus minReadySeconds, plus a minute. */
export function updateTimeoutSeconds(waves: number, minReadySeconds: number): number {
  return 60 + Math.max(1, waves) * (30 + minReadySeconds);
}

export const rollingUpdate: BatteryStep = {
  id: 'rolling-update',
  title: 'rolling update to a new image tag within maxUnavailable/maxSurge',
  skipReason: (target) => (target.check.rollout.strategy === 'OnDelete' ? 'updateStrategy OnDelete: the controller does not roll pods itself (see the OnDelete step)' : undefined),
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    t.invariant('never more nodes without an available pod than the budget', ds.withinBudget, ds);
    t.invariant('every new pod schedules', newPodsSchedule, ds);
    const image = ds.current().spec?.template?.spec?.containers?.[0]?.image ?? 'busybox';
    const started = await ds.setImage(nextImage(image));
    const timeout = updateTimeoutSeconds(target.check.rollout.waves, ds.current().spec?.minReadySeconds ?? 0);
    await ds.expectRolloutComplete().within(`${timeout}s`);
    const covered = await ds.expectCoverage().within('60s');
    t.timing(`rolling update of ${target.check.rollout.desired} nodes (${target.check.rollout.waves} waves)`, started, covered);
  },
};
