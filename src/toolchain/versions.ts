// Pinned versions of everything the embedded provider builds. Changing one rebuilds into a new cache folder.

/** Kubernetes release used when the user does not name one (`--kubernetes-version`). */
export const DEFAULT_KUBERNETES_VERSION = '1.36.3';
/** etcd server; 3.6 is what Kubernetes 1.36 is tested with. */
export const ETCD_VERSION = '3.6.16';
/** kwok and kwokctl. */
export const KWOK_VERSION = '0.8.0';

/** Accepts `1.36.3` or `v1.36.3`; returns the bare `1.36.3` or throws on anything else. */
export function parseKubernetesVersion(input: string): { version: string; minor: number; staging: string } {
  const m = /^v?(1)\.(\d+)\.(\d+)$/.exec(input.trim());
  if (!m) throw new TypeError(`not a Kubernetes release version: "${input}" (expected e.g. 1.36.3)`);
  const minor = Number(m[2]);
  return { version: `1.${minor}.${m[3]}`, minor, staging: `v0.${minor}.${m[3]}` };
}
