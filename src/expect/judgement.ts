// The result every judgement in src/expect returns: a verdict, one line for humans, per-node detail.
import type { V1ControllerRevision, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';

/** Everything a judgement looks at: one consistent read of the cluster, with the time it was taken. */
export interface ClusterSnapshot {
  daemonSet: V1DaemonSet;
  nodes: V1Node[];
  /** All pods in the DaemonSet's namespace; the daemon's own are picked out by owner or selector. */
  pods: V1Pod[];
  revisions: V1ControllerRevision[];
  /** Epoch milliseconds; availability (minReadySeconds) is measured against it. */
  now: number;
}

/** What one node was expected to show and what it showed. */
export interface NodeObservation {
  node: string;
  expected: string;
  observed: string;
  ok: boolean;
}

/** A verdict: `summary` is one line (e.g. `2/3 nodes covered; worker-2: pod a-x ImagePullBackOff (revision 2)`). */
export interface Judgement {
  ok: boolean;
  summary: string;
  nodes: NodeObservation[];
  /** Every rule that failed, one line each; empty when ok. */
  problems: string[];
}

// Builds a Judgement whose verdict follows from the problems, so the two can never disagree.
export function judgement(headline: string, nodes: NodeObservation[], problems: string[]): Judgement {
  const ok = problems.length === 0;
  const firstBadNode = nodes.find((n) => !n.ok);
  const detail = firstBadNode ? `${firstBadNode.node}: ${firstBadNode.observed}` : problems[0];
  return { ok, summary: ok || detail === undefined ? headline : `${headline}; ${detail}`, nodes, problems };
}

/** What a custom judge may return: true passes; false, or a string saying what is wrong, fails; or a full Judgement. */
export type JudgeResult = boolean | string | Judgement;

/**
 * Turns what a custom judge returned into a Judgement. Anything else (a judge that forgot to
 * return) fails, so a custom check can never pass by accident.
 */
export function toJudgement(result: unknown, name: string): Judgement {
  const failed = (why: string): Judgement => ({ ok: false, summary: why, nodes: [], problems: [why] });
  if (result === true) return { ok: true, summary: 'holds', nodes: [], problems: [] };
  if (result === false || result === '') return failed('does not hold');
  if (typeof result === 'string') return failed(result);
  if (isJudgement(result)) return result;
  return failed(`the judge of "${name}" returned ${result === undefined ? 'nothing' : typeof result}; return true, false, a failure message or a Judgement`);
}

function isJudgement(v: unknown): v is Judgement {
  const j = v as Judgement;
  return typeof v === 'object' && v !== null && typeof j.ok === 'boolean' && typeof j.summary === 'string' && Array.isArray(j.nodes) && Array.isArray(j.problems);
}

// A text computed on first use, then kept: judgements run on every change, reports read few texts.
export function lazy(compute: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= compute());
}

// Adds `observed` as an enumerable getter (so it still shows in JSON and comparisons).
export function withObserved<T extends object>(o: T, observed: () => string): T & { observed: string } {
  return Object.defineProperty(o, 'observed', { get: observed, enumerable: true }) as T & { observed: string };
}
