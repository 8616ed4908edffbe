// The DaemonSets of a manifest file (one object, a bundle, or `helm template` output), by name.

/** The part of a Kubernetes object init looks at. */
export interface ObjectLike {
  kind?: string;
  metadata?: { name?: string };
}

/** Names of the DaemonSets among `objects`, in file order, each once. */
export function daemonSetNames(objects: ObjectLike[]): string[] {
  const names = objects.filter((o) => o.kind === 'DaemonSet' && o.metadata?.name).map((o) => o.metadata!.name!);
  return [...new Set(names)];
}
