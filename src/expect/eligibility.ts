// Which nodes a DaemonSet's pod should run on: daemon_controller.go NodeShouldRunDaemonPod, in TypeScript.
import type {
  V1DaemonSet, V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Taint, V1Toleration,
} from '@kubernetes/client-node';

export interface Eligibility {
  /** A pod should be created on this node if it has none. */
  shouldRun: boolean;
  /** An existing pod may stay (untolerated NoSchedule only): if !shouldRun it counts as misscheduled. */
  shouldContinueRunning: boolean;
  /** Human reasons the node is not eligible; empty when shouldRun. */
  reasons: string[];
}

export interface EligibilityOptions {
  /** Feature gate TaintTolerationComparisonOperators (alpha in 1.35, off by default): Gt/Lt tolerations. */
  tolerationComparisonOperators?: boolean;
}

// The tolerations the controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations).
function controllerTolerations(hostNetwork: boolean): V1Toleration[] {
  const exists = (key: string, effect: string): V1Toleration => ({ key, operator: 'Exists', effect });
  const added = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) added.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return added;
}

// The tolerations a daemon pod really gets: the template's, with the controller's added or replacing an
// identical <key,operator,value,effect> (v1helper.AddOrUpdateTolerationInPodSpec drops its tolerationSeconds).
export function effectiveTolerations(ds: V1DaemonSet): V1Toleration[] {
  const spec = ds.spec?.template?.spec;
  let result: V1Toleration[] = [...(spec?.tolerations ?? [])];
  for (const t of controllerTolerations(spec?.hostNetwork === true)) {
    const same = (o: V1Toleration) => (o.key ?? '') === t.key && (o.effect ?? '') === t.effect
      && (o.operator ?? '') === t.operator && (o.value ?? '') === '';
    if (result.some(same)) result = result.map((o) => (same(o) ? { ...t } : o));
    else result.push(t);
  }
  return result;
}

// Parses a Go strconv.ParseInt(s, 10, 64) value; undefined when Go would fail.
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
}

// Whether one toleration tolerates one taint (core/v1 Toleration.ToleratesTaint).
export function toleratesTaint(t: V1Toleration, taint: V1Taint, opts: EligibilityOptions = {}): boolean {
  if (t.effect && t.effect !== taint.effect) return false; // empty effect matches all effects
  if (t.key && t.key !== taint.key) return false; // empty key matches all keys
  switch (t.operator ?? '') {
    case '': case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    case 'Exists': return true;
    case 'Gt': case 'Lt': {
      if (!opts.tolerationComparisonOperators) return false;
      // content.IsDecimalInteger: no '+' sign and no leading zeros
      if (![t.value ?? '', taint.value ?? ''].every((v) => /^(0|-?[1-9][0-9]*)$/.test(v))) return false;
      const want = parseInt64(t.value ?? ''); const got = parseInt64(taint.value ?? '');
      if (want === undefined || got === undefined) return false;
      return t.operator === 'Lt' ? got < want : got > want;
    }
    default: return false;
  }
}

// Formats a taint the way kubectl shows it: key=value:Effect.
function showTaint(t: V1Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

// Reason a requirement is malformed (labels.NewRequirement / field selector parsing), or undefined.
function requirementError(r: V1NodeSelectorRequirement, field: boolean): string | undefined {
  const n = (r.values ?? []).length;
  if (field) return (r.operator === 'In' || r.operator === 'NotIn') && n === 1 ? undefined : 'invalid matchFields requirement';
  switch (r.operator) {
    case 'In': case 'NotIn': return n > 0 ? undefined : 'In/NotIn needs values';
    case 'Exists': case 'DoesNotExist': return n === 0 ? undefined : 'Exists/DoesNotExist takes no values';
    case 'Gt': case 'Lt': return n === 1 && parseInt64(r.values?.[0] ?? '') !== undefined ? undefined : 'Gt/Lt needs one integer';
    default: return `unknown operator ${r.operator}`;
  }
}

// Whether one requirement matches a label/field set (labels.Requirement.Matches, fields selectors).
function requirementMatches(r: V1NodeSelectorRequirement, set: Record<string, string>, field: boolean): boolean {
  const has = Object.hasOwn(set, r.key);
  const val = set[r.key];
  const values = r.values ?? [];
  if (field) return r.operator === 'In' ? (val ?? '') === values[0] : (val ?? '') !== values[0];
  switch (r.operator) {
    case 'In': return has && values.includes(val as string);
    case 'NotIn': return !has || !values.includes(val as string);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': case 'Lt': {
      const got = has ? parseInt64(val as string) : undefined;
      const want = parseInt64(values[0] ?? '');
      if (got === undefined || want === undefined) return false;
      return r.operator === 'Gt' ? got > want : got < want;
    }
    default: return false;
  }
}

// Why a nodeSelectorTerm does not match the node (empty list = it matches); requirements are ANDed.
function termFailures(term: V1NodeSelectorTerm, node: V1Node): string[] {
  const exprs = term.matchExpressions ?? []; const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return ['empty term matches no node'];
  const labels = node.metadata?.labels ?? {};
  const name = node.metadata?.name ?? '';
  const fieldSet: Record<string, string> = name ? { 'metadata.name': name } : {};
  const show = (r: V1NodeSelectorRequirement) => `${r.key} ${r.operator}${r.values?.length ? ` [${r.values.join(',')}]` : ''}`;
  const errors = [...exprs.map((r) => [r, requirementError(r, false)] as const), ...fields.map((r) => [r, requirementError(r, true)] as const)]
    .filter(([, e]) => e !== undefined).map(([r, e]) => `${show(r)} is invalid (${e})`);
  if (errors.length > 0) return errors;
  const failed = exprs.filter((r) => !requirementMatches(r, labels, false)).map((r) => `${show(r)} does not match`);
  // nodeaffinity ignores matchFields when the node has no fields (no name)
  if (Object.keys(fieldSet).length > 0) failed.push(...fields.filter((r) => !requirementMatches(r, fieldSet, true)).map((r) => `${show(r)} does not match`));
  return failed;
}

// Reasons the node fails nodeSelector and required node affinity (nodeaffinity.GetRequiredNodeAffinity.Match).
function affinityFailures(node: V1Node, ds: V1DaemonSet): string[] {
  const spec = ds.spec?.template?.spec;
  const labels = node.metadata?.labels ?? {};
  const reasons = Object.entries(spec?.nodeSelector ?? {})
    .filter(([k, v]) => labels[k] !== v).map(([k, v]) => `nodeSelector ${k}=${v} does not match`);
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const terms = required.nodeSelectorTerms ?? [];
    const failures = terms.map((t) => termFailures(t, node)); // terms are ORed
    if (!failures.some((f) => f.length === 0)) {
      const detail = failures.map((f, i) => `term ${i + 1}: ${f.join(', ')}`).join('; ');
      reasons.push(`required node affinity does not match${detail ? ` (${detail})` : ' (no terms)'}`);
    }
  }
  return reasons;
}

// Results per node object and per the DaemonSet fields eligibility reads: the watch replaces a
// node's object when it changes, so a hit is what judging again would give. At 1,000 nodes this
// turns "judge every node on every event" into "judge the node that changed".
const decided = new WeakMap<V1Node, Map<string, Eligibility>>();
const fingerprints = new WeakMap<V1DaemonSet, string>();

// The template fields NodeShouldRunDaemonPod depends on, as one string (computed once per object).
function fingerprint(ds: V1DaemonSet): string {
  let f = fingerprints.get(ds);
  if (f === undefined) {
    const spec = ds.spec?.template?.spec;
    f = JSON.stringify([spec?.nodeName, spec?.nodeSelector, spec?.affinity?.nodeAffinity, spec?.tolerations, spec?.hostNetwork]);
    fingerprints.set(ds, f);
  }
  return f;
}

// Decides (shouldRun, shouldContinueRunning) for one node, as NodeShouldRunDaemonPod does, with reasons.
export function nodeShouldRunDaemonPod(node: V1Node, ds: V1DaemonSet, opts: EligibilityOptions = {}): Eligibility {
  const key = `${opts.tolerationComparisonOperators ? 1 : 0}${fingerprint(ds)}`;
  let perNode = decided.get(node);
  if (!perNode) decided.set(node, (perNode = new Map()));
  let result = perNode.get(key);
  if (!result) perNode.set(key, (result = decide(node, ds, opts)));
  return result;
}

function decide(node: V1Node, ds: V1DaemonSet, opts: EligibilityOptions): Eligibility {
  const nodeName = ds.spec?.template?.spec?.nodeName;
  if (nodeName && nodeName !== node.metadata?.name) {
    return { shouldRun: false, shouldContinueRunning: false, reasons: [`template spec.nodeName pins pods to ${nodeName}`] };
  }
  const affinity = affinityFailures(node, ds);
  if (affinity.length > 0) return { shouldRun: false, shouldContinueRunning: false, reasons: affinity };

  const tolerations = effectiveTolerations(ds);
  const untolerated = (node.spec?.taints ?? [])
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') // PreferNoSchedule never blocks
    .filter((t) => !tolerations.some((tol) => toleratesTaint(tol, t, opts)));
  if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true, reasons: [] };
  // An untolerated NoSchedule taint keeps an existing pod; an untolerated NoExecute taint evicts it.
  return {
    shouldRun: false,
    shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute'),
    reasons: untolerated.map((t) => `taint ${showTaint(t)} not tolerated`),
  };
}
