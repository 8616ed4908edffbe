// apiVersions a Kubernetes release no longer serves, from the upstream Deprecated API Migration Guide
// (kubernetes.io/docs/reference/using-api/deprecation-guide: removals listed up to v1.32, none since).
import type { Finding } from './check-model.js';

interface Removal {
  /** The minor release that stopped serving it. */
  minor: number;
  apiVersion: string;
  kinds: string[];
  replacement: string;
}

const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const FLOW = ['FlowSchema', 'PriorityLevelConfiguration'];

/** Every removal of the guide, oldest first. */
export const REMOVALS: Removal[] = [
  { minor: 16, apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet'], replacement: 'apps/v1' },
  { minor: 16, apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], replacement: 'networking.k8s.io/v1' },
  { minor: 16, apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], replacement: 'policy/v1beta1 (itself removed in 1.25)' },
  { minor: 16, apiVersion: 'apps/v1beta1', kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'], replacement: 'apps/v1' },
  { minor: 16, apiVersion: 'apps/v1beta2', kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'], replacement: 'apps/v1' },
  { minor: 22, apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], replacement: 'networking.k8s.io/v1' },
  { minor: 22, apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], replacement: 'networking.k8s.io/v1' },
  { minor: 22, apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], replacement: 'admissionregistration.k8s.io/v1' },
  { minor: 22, apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], replacement: 'apiextensions.k8s.io/v1' },
  { minor: 22, apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], replacement: 'apiregistration.k8s.io/v1' },
  { minor: 22, apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], replacement: 'authentication.k8s.io/v1' },
  { minor: 22, apiVersion: 'authorization.k8s.io/v1beta1', kinds: ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'], replacement: 'authorization.k8s.io/v1' },
  { minor: 22, apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], replacement: 'certificates.k8s.io/v1' },
  { minor: 22, apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], replacement: 'coordination.k8s.io/v1' },
  { minor: 22, apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: RBAC, replacement: 'rbac.authorization.k8s.io/v1' },
  { minor: 22, apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], replacement: 'scheduling.k8s.io/v1' },
  { minor: 22, apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], replacement: 'storage.k8s.io/v1' },
  { minor: 25, apiVersion: 'batch/v1beta1', kinds: ['CronJob'], replacement: 'batch/v1' },
  { minor: 25, apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], replacement: 'discovery.k8s.io/v1' },
  { minor: 25, apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], replacement: 'events.k8s.io/v1' },
  { minor: 25, apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], replacement: 'autoscaling/v2' },
  { minor: 25, apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], replacement: 'policy/v1' },
  { minor: 25, apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], replacement: 'Pod Security Admission (no replacement object)' },
  { minor: 25, apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], replacement: 'node.k8s.io/v1' },
  { minor: 26, apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: FLOW, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { minor: 26, apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], replacement: 'autoscaling/v2' },
  { minor: 27, apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], replacement: 'storage.k8s.io/v1' },
  { minor: 29, apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: FLOW, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { minor: 32, apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: FLOW, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** The minor version of `v1.36.3` / `1.36` (major 1 assumed by the guide); undefined if unreadable. */
export function minorOf(version: string): number | undefined {
  const m = /^v?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** One manifest object as read from a file. */
export interface ManifestObject {
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
}

/** One error finding per object whose apiVersion/kind the twin's server or the target release no longer serves. */
export function removedApiFindings(objects: ManifestObject[], serverVersion: string, targetVersion?: string): Finding[] {
  const releases = [{ label: `the cluster's ${serverVersion}`, minor: minorOf(serverVersion) }, ...(targetVersion ? [{ label: `the target v${targetVersion.replace(/^v/, '')}`, minor: minorOf(targetVersion) }] : [])];
  const out: Finding[] = [];
  for (const o of objects) {
    const removal = REMOVALS.find((r) => r.apiVersion === o.apiVersion && r.kinds.includes(o.kind));
    if (!removal) continue;
    const hit = releases.find((r) => r.minor !== undefined && r.minor >= removal.minor);
    if (!hit) continue;
    out.push({
      check: 'removed-api',
      severity: 'error',
      subject: o.file,
      message: `${o.kind} ${o.name} uses ${o.apiVersion}, not served since v1.${removal.minor} (${hit.label} refuses it)`,
      evidence: [`${o.file}: ${o.kind} ${o.name}: apiVersion ${o.apiVersion}`, `removed in v1.${removal.minor}; ${hit.label}`],
      fix: `change apiVersion to ${removal.replacement} (see the Deprecated API Migration Guide for field changes)`,
    });
  }
  return out;
}
