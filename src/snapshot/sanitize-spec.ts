// What a snapshot keeps of a DaemonSet spec: everything the checks read, with env values blanked.
import type { V1Container, V1DaemonSetSpec, V1EnvVar } from '@kubernetes/client-node';

/** A plain-data copy of the spec with every container's `env[].value` set to "" and template annotations dropped. */
export function sanitizeSpec(spec: V1DaemonSetSpec): V1DaemonSetSpec {
  const copy = JSON.parse(JSON.stringify(spec)) as V1DaemonSetSpec; // also turns Dates into RFC 3339 strings
  const meta = copy.template?.metadata;
  if (meta) copy.template.metadata = { ...(meta.labels ? { labels: meta.labels } : {}) };
  const pod = copy.template?.spec;
  if (!pod) return copy;
  for (const list of [pod.containers, pod.initContainers, pod.ephemeralContainers as V1Container[] | undefined]) {
    for (const c of list ?? []) if (c.env) c.env = c.env.map(blankValue);
  }
  return copy;
}

// valueFrom only names a Secret/ConfigMap key or a field, so it stays; a literal value may be a secret.
function blankValue(e: V1EnvVar): V1EnvVar {
  return e.value === undefined ? e : { ...e, value: '' };
}
