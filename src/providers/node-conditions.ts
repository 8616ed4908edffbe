// Small pure readers of Node objects used by providers and chaos actions.
import type { V1Node } from '@kubernetes/client-node';

/** The status of the node's Ready condition: 'True', 'False', 'Unknown', or 'Missing'. */
export function nodeReadyStatus(node: V1Node): string {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Missing';
}

export function isNodeReady(node: V1Node): boolean {
  return nodeReadyStatus(node) === 'True';
}
