// Infers the causes of an incident by diffing consecutive states of a recording. Pure: plain data in, causes out.
import type { BadImageKind } from '../providers/cluster.js';
import type { Recording, RecordedPod } from '../recording/recording-model.js';
import { RecordingState } from '../recording/recording-state.js';
import type { Cause, DaemonSetCause } from './cause-model.js';
import { diffNode } from './node-diff.js';
import { classifyPodLoss, type PodLoss, type TimedEvent } from './pod-disruption.js';
import { diffSpec, TemplateHistory } from './spec-diff.js';

const PULL_ERRORS = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];
const CRASHES = ['CrashLoopBackOff', 'Error', 'RunContainerError', 'CreateContainerError'];

/**
 * The causes between `from` and `to` (ms since the recording's start) for the DaemonSet `dsKey`
 * (`namespace/name`), in time order. Changes before `from` only build the starting state.
 */
export function inferCauses(rec: Recording, dsKey: string, from = 0, to = Infinity): Cause[] {
  const st = RecordingState.fromTwin(rec.twin);
  const failed = new Set(rec.twin.nodes.filter((n) => n.conditions.Ready !== undefined && n.conditions.Ready !== 'True').map((n) => n.name));
  const events: TimedEvent[] = [];
  const losses: PodLoss[] = [];
  const lost = new Set<string>();
  const causes: Cause[] = [];
  let history: TemplateHistory | undefined;
  const inWindow = (t: number) => t >= from && t <= to;
  const lose = (t: number, key: string, pod: RecordedPod) => {
    if (lost.has(key) || !inWindow(t)) return;
    lost.add(key);
    const ds = st.daemonSets.get(dsKey);
    if (!ds) return;
    const siblings = st.podsOf(dsKey).filter((p) => p.node === pod.node && p.name !== pod.name && !p.terminating).length;
    losses.push({ t, pod, node: st.nodes.get(pod.node), daemonSet: ds, currentHash: st.revisionsOf(dsKey).at(-1)?.hash, siblings });
  };
  for (const line of rec.changes) {
    if (line.t > to) break;
    if (line.t >= from && !history) history = new TemplateHistory(st.daemonSets.get(dsKey)?.spec ?? { selector: {}, template: {} });
    if (line.op === 'put' && line.kind === 'Node') {
      const found = diffNode(st.nodes.get(line.obj.name), line.obj, line.t, failed.has(line.obj.name));
      for (const c of found) {
        if (c.kind === 'node.fail') failed.add(c.node);
        if (c.kind === 'node.recover') failed.delete(c.node);
      }
      if (inWindow(line.t)) causes.push(...found);
    } else if (line.op === 'del' && line.kind === 'Node') {
      if (inWindow(line.t) && st.nodes.has(line.name)) causes.push(...diffNode(st.nodes.get(line.name), undefined, line.t, false));
    } else if (line.op === 'put' && line.kind === 'DaemonSet' && `${line.obj.namespace}/${line.obj.name}` === dsKey && line.obj.spec) {
      const before = st.daemonSets.get(dsKey)?.spec;
      if (before && history && inWindow(line.t)) causes.push(...diffSpec(before, line.obj.spec, line.t, history));
    } else if (line.kind === 'Pod' && line.op !== 'gap') {
      const key = line.op === 'del' ? line.name : `${line.obj.namespace}/${line.obj.name}`;
      const before = st.pods.get(key);
      const pod = line.op === 'put' ? line.obj : before;
      if (pod && `${pod.namespace}/${pod.daemonSet}` === dsKey) {
        if (line.op === 'del' || (line.op === 'put' && line.obj.terminating)) lose(line.t, key, pod);
        else if (line.op === 'put' && line.obj.phase === 'Failed' && before && before.phase !== 'Failed' && inWindow(line.t) && st.nodes.get(pod.node)?.conditions.Ready === 'True') {
          causes.push({ kind: 'pod.fail', t: line.t, node: pod.node, pod: pod.name, evidence: 'its container died (phase Failed) on a Ready node' });
        }
      }
    } else if (line.op === 'put' && line.kind === 'Event') {
      events.push({ ...line.obj, t: line.t });
    }
    st.apply(line);
  }
  for (const loss of losses) {
    const { cause, why } = classifyPodLoss(loss, events);
    if (cause) causes.push({ kind: cause, t: loss.t, node: loss.pod.node, pod: loss.pod.name, evidence: why });
  }
  causes.sort((a, b) => a.t - b.t);
  markBadImages(rec, dsKey, causes);
  return causes;
}

/**
 * An image change whose new pods never became Ready is replayed as the provider's bad image of the
 * same kind (pull error, crash loop, never ready), since the replay cluster may pull (or not pull)
 * the recorded reference differently. The new revision's pods are those created after the change
 * with a template hash no pod had before it, up to the next change of the DaemonSet.
 */
function markBadImages(rec: Recording, dsKey: string, causes: Cause[]): void {
  const dsCauses = causes.filter((c): c is DaemonSetCause => !('node' in c));
  for (const [i, c] of dsCauses.entries()) {
    if (c.kind !== 'ds.image') continue;
    const until = dsCauses[i + 1]?.t ?? Infinity;
    const oldHashes = new Set<string>();
    const states: RecordedPod[] = [];
    for (const p of rec.twin.daemonSets.flatMap((d) => (`${d.namespace}/${d.name}` === dsKey ? d.pods : []))) if (p.revisionHash) oldHashes.add(p.revisionHash);
    let newHash: string | undefined;
    for (const line of rec.changes) {
      if (line.t >= until) break;
      if (line.op !== 'put' || line.kind !== 'Pod' || `${line.obj.namespace}/${line.obj.daemonSet}` !== dsKey || !line.obj.revisionHash) continue;
      if (line.t < c.t) oldHashes.add(line.obj.revisionHash);
      else if (!oldHashes.has(line.obj.revisionHash)) {
        newHash ??= line.obj.revisionHash;
        if (line.obj.revisionHash === newHash) states.push(line.obj);
      }
    }
    const bad = badKind(states);
    if (!bad) continue;
    c.bad = bad;
    c.evidence = `the new pods never became Ready (${[...new Set(states.map((s) => s.reason).filter(Boolean))].join(', ') || 'running, not Ready'})`;
  }
}

function badKind(states: RecordedPod[]): BadImageKind | undefined {
  if (!states.length || states.some((s) => s.ready)) return undefined;
  if (states.some((s) => PULL_ERRORS.includes(s.reason ?? ''))) return 'pull-error';
  if (states.some((s) => CRASHES.includes(s.reason ?? ''))) return 'crash-loop';
  return states.some((s) => s.phase === 'Running') ? 'never-ready' : undefined;
}
