// Checks that join the DaemonSet with the rest of the twin: PDBs, node allocatable, namespace selectors, taints.
import type { V1Container } from '@kubernetes/client-node';
import { labelSelectorMatches } from '../expect/ownership.js';
import { formatQuantity, parseQuantity } from '../twin/quantity.js';
import { finding, nodeList, type Check } from './check.js';

export const pdbSelectsDaemonPods: Check = {
  id: 'pdb-selects-daemon-pods',
  title: 'a PodDisruptionBudget selects the daemon pods: evictions and drains block',
  run: (ctx) => {
    const labels = ctx.object.spec?.template?.metadata?.labels ?? {};
    return ctx.twin.podDisruptionBudgets
      .filter((p) => p.namespace === ctx.ds.namespace && labelSelectorMatches(p.selector, labels))
      .map((p) => {
        const allowed = p.status?.disruptionsAllowed;
        const budget = p.minAvailable !== undefined ? `minAvailable ${p.minAvailable}` : `maxUnavailable ${p.maxUnavailable ?? '?'}`;
        const status = p.status ? `status: ${p.status.currentHealthy ?? 0} healthy of ${p.status.expectedPods ?? 0} expected, disruptionsAllowed ${allowed ?? 0}` : 'status: not captured';
        // disruption.go getExpectedPodCount: maxUnavailable and percentages need the owner's scale subresource,
        // which DaemonSets lack, so the controller fails to sync the PDB and allows nothing.
        const unscalable = p.maxUnavailable !== undefined || typeof p.minAvailable === 'string';
        const why = unscalable ? ': the disruption controller cannot count DaemonSet pods for it (no scale subresource), so no eviction is ever allowed'
          : allowed === 0 ? ': no eviction is allowed now' : '';
        return finding(ctx, 'pdb-selects-daemon-pods', unscalable || allowed === 0 ? 'error' : 'warning',
          `PodDisruptionBudget ${p.namespace}/${p.name} (${budget}) selects the daemon pods${why}`,
          [`PodDisruptionBudget ${p.namespace}/${p.name}: selector ${JSON.stringify(p.selector ?? {})}, ${budget}`, status],
          'exclude daemon pods from the PDB selector: a daemon pod cannot move to another node, so the budget only blocks evictions (drain without --ignore-daemonsets, autoscaler, node upgrades)');
      });
  },
};

/** Effective pod requests per resource: max(sum of containers, largest init container), as the scheduler computes them. */
export function podRequests(containers: V1Container[], initContainers: V1Container[] = []): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of containers) for (const [r, q] of Object.entries(c.resources?.requests ?? {})) out.set(r, (out.get(r) ?? 0) + (parseQuantity(q) ?? 0));
  for (const c of initContainers) for (const [r, q] of Object.entries(c.resources?.requests ?? {})) out.set(r, Math.max(out.get(r) ?? 0, parseQuantity(q) ?? 0));
  return out;
}

export const requestsExceedAllocatable: Check = {
  id: 'requests-exceed-allocatable',
  title: "the pod's requests exceed an eligible node's allocatable",
  run: (ctx) => {
    const spec = ctx.object.spec?.template?.spec;
    const requests = podRequests(spec?.containers ?? [], spec?.initContainers ?? []);
    for (const [r, q] of Object.entries(spec?.overhead ?? {})) requests.set(r, (requests.get(r) ?? 0) + (parseQuantity(q) ?? 0));
    const short: string[] = []; const nodes: string[] = [];
    for (const c of ctx.coverage.filter((x) => x.eligible)) {
      const allocatable = ctx.nodes.get(c.node)?.status?.allocatable ?? {};
      const over = [...requests].filter(([r, want]) => allocatable[r] !== undefined && want > (parseQuantity(allocatable[r]) ?? Infinity))
        .map(([r, want]) => `${r} requests ${formatQuantity(r, want)} > allocatable ${allocatable[r]}`);
      if (over.length) {
        nodes.push(c.node);
        short.push(`${c.node}: ${over.join(', ')}`);
      }
    }
    return nodes.length ? [finding(ctx, 'requests-exceed-allocatable', 'error',
      `requests do not fit on ${nodeList(nodes)}: the daemon pod stays Pending there`,
      short, 'lower the requests, or keep those nodes out with nodeSelector/affinity (other pods use part of allocatable too)', nodes)] : [];
  },
};

/** Parses `k=v,k2=v2` (the PodNodeSelector annotation) into a map. */
export function parseNodeSelectorAnnotation(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').map((kv) => kv.trim()).filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    return i < 0 ? [kv, ''] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
  }));
}

export const namespaceNodeSelector: Check = {
  id: 'namespace-node-selector',
  title: "the namespace's node selector excludes eligible nodes",
  run: (ctx) => {
    const annotation = ctx.twin.namespaces.find((n) => n.name === ctx.ds.namespace)?.nodeSelector;
    if (!annotation) return [];
    const wanted = parseNodeSelectorAnnotation(annotation);
    const outside = ctx.coverage.filter((c) => c.eligible).map((c) => c.node)
      .filter((n) => Object.entries(wanted).some(([k, v]) => ctx.nodes.get(n)?.metadata?.labels?.[k] !== v));
    return outside.length ? [finding(ctx, 'namespace-node-selector', 'warning',
      `namespace ${ctx.ds.namespace} selects nodes ${annotation}, but ${outside.length} eligible nodes do not match: with the PodNodeSelector admission plugin their daemon pods stay Pending`,
      [`namespace ${ctx.ds.namespace}: scheduler.alpha.kubernetes.io/node-selector=${annotation}`, `eligible but outside it: ${nodeList(outside)}`],
      "give the DaemonSet the namespace's nodeSelector (so desired matches), or move it to a namespace without one", outside)] : [];
  },
};

export const untoleratedTaint: Check = {
  id: 'untolerated-taint',
  title: 'nodes the selector matches are left out by a taint',
  run: (ctx) => {
    const tainted = ctx.coverage.filter((c) => !c.eligible && c.reasons.length > 0 && c.reasons.every((r) => r.startsWith('taint ')));
    if (!tainted.length) return [];
    const reasons = [...new Set(tainted.flatMap((c) => c.reasons))];
    return [finding(ctx, 'untolerated-taint', 'info', `${nodeList(tainted.map((c) => c.node))} get no daemon pod because of ${reasons.join(', ')}`,
      tainted.map((c) => `${c.node}: ${c.reasons.join(', ')}`),
      'if the agent should run there, add a toleration for the taint (a node agent usually tolerates everything: operator Exists)', tainted.map((c) => c.node))];
  },
};

/** The checks that join the DaemonSet with nodes, PDBs and namespaces, in report order. */
export const CLUSTER_CHECKS: Check[] = [pdbSelectsDaemonPods, requestsExceedAllocatable, namespaceNodeSelector, untoleratedTaint];
