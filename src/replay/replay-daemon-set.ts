// The DaemonSet a replay applies: the recorded starting spec, less what would stop its pods in a fresh namespace.
import type { V1DaemonSet } from '@kubernetes/client-node';
import type { StateDaemonSet } from '../recording/recording-state.js';

/** PriorityClasses every cluster has; any other must be created first, so the replay drops the reference. */
const BUILT_IN_PRIORITY = ['system-node-critical', 'system-cluster-critical'];

/**
 * The DaemonSet object for `t.daemonSet(...)`, and a note per field it dropped: a ServiceAccount
 * or PriorityClass the replay namespace does not have would make every pod creation fail.
 * (Env values were already blanked by the recorder.)
 */
export function replayDaemonSet(d: StateDaemonSet): { object: V1DaemonSet; dropped: string[] } {
  const spec = JSON.parse(JSON.stringify(d.spec)) as V1DaemonSet['spec'] & object;
  const pod = spec.template.spec;
  const dropped: string[] = [];
  if (pod) {
    const account = pod.serviceAccountName ?? pod.serviceAccount;
    if (account && account !== 'default') dropped.push(`serviceAccountName ${account} (not in the replay's namespace)`);
    delete pod.serviceAccountName;
    delete pod.serviceAccount;
    if (pod.priorityClassName && !BUILT_IN_PRIORITY.includes(pod.priorityClassName)) {
      dropped.push(`priorityClassName ${pod.priorityClassName} (create it and put it back to replay preemption)`);
      delete pod.priorityClassName;
    }
  }
  withoutDefaults(spec);
  return {
    object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: d.name, ...(d.labels ? { labels: d.labels } : {}) }, spec },
    dropped,
  };
}

// Fields the API server fills in with these values anyway: left out, the spec reads like the manifest it came from.
function withoutDefaults(spec: NonNullable<V1DaemonSet['spec']>): void {
  const drop = <T extends object>(o: T | undefined, key: keyof T, value: unknown) => {
    if (o && JSON.stringify(o[key]) === JSON.stringify(value)) delete o[key];
  };
  drop(spec, 'revisionHistoryLimit', 10);
  const pod = spec.template.spec;
  for (const [key, value] of [['dnsPolicy', 'ClusterFirst'], ['restartPolicy', 'Always'], ['schedulerName', 'default-scheduler'], ['securityContext', {}], ['terminationGracePeriodSeconds', 30]] as const) drop(pod, key, value);
  for (const list of [pod?.containers, pod?.initContainers]) {
    list?.forEach((c, i) => {
      drop(c, 'terminationMessagePath', '/dev/termination-log');
      drop(c, 'terminationMessagePolicy', 'File');
      // Name and image first, as people write them.
      const { name, image, ...rest } = c;
      list[i] = { name, ...(image !== undefined ? { image } : {}), ...rest };
    });
  }
}
