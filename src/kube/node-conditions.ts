// Small pure readers of Node objects used by providers and chaos actions.
import type { V1Node } from '@kubernetes/client-node';

/** The status of the node's Ready condition: 'True', 'False', 'Unknown', or 'Missing'. */
export function nodeReadyStatus(node: V1Node): string {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Missing';
}

export function isNodeReady(node: V1Node): boolean {
  return nodeReadyStatus(node) === 'True';
}

/** Taints the node lifecycle controller puts on a node that is not (yet) Ready. */
export const NODE_HEALTH_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * Ready, and the node lifecycle controller has lifted its not-ready/unreachable taints: only then
 * does the DaemonSet controller consider the node (the NoSchedule one is not tolerated).
 */
export function isNodeUsable(node: V1Node): boolean {
  return isNodeReady(node) && !(node.spec?.taints ?? []).some((t) => NODE_HEALTH_TAINTS.includes(t.key));
}
