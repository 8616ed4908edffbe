// Which objects belong to a DaemonSet: by controller ownerReference, else by its label selector.
import type { V1DaemonSet, V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';

// Matches labels against a metav1.LabelSelector (matchLabels AND matchExpressions); an empty selector matches all.
export function labelSelectorMatches(selector: V1LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false; // a nil selector selects nothing (metav1.LabelSelectorAsSelector)
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key] as string);
    switch (e.operator) {
      case 'In': if (!inValues) return false; break;
      case 'NotIn': if (inValues) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

// Tells whether an object (pod, ControllerRevision) is the DaemonSet's: its controller ref names the
// DaemonSet's uid (or name when the DaemonSet has no uid), or it is an orphan the controller would
// adopt because the selector matches (controller.ClaimPods / ClaimControllerRevisions).
export function isOwnedBy(meta: V1ObjectMeta | undefined, ds: V1DaemonSet): boolean {
  if (!meta || meta.namespace !== undefined && ds.metadata?.namespace !== undefined && meta.namespace !== ds.metadata.namespace) return false;
  const ref = (meta.ownerReferences ?? []).find((r) => r.controller === true);
  if (ref) {
    const uid = ds.metadata?.uid;
    return uid ? ref.uid === uid : ref.kind === 'DaemonSet' && ref.name === ds.metadata?.name;
  }
  if (meta.deletionTimestamp) return false; // orphans being deleted are never adopted
  return labelSelectorMatches(ds.spec?.selector, meta.labels);
}
