// The read-only cluster access a snapshot needs: get and list calls only, behind one small interface.
import {
  AppsV1Api, CoreV1Api, PolicyV1Api, SchedulingV1Api, VersionApi,
  type V1ControllerRevision, type V1DaemonSet, type V1Namespace, type V1Node, type V1Pod, type V1PodDisruptionBudget, type V1PriorityClass,
} from '@kubernetes/client-node';
import { apiMessage, apiStatus, loadKubeConfig } from '../kube/kube-client.js';
import { InfraError, UsageError } from '../util/errors.js';

/** Every call a snapshot makes; each is a get or a list, so a read-only credential suffices. */
export interface ClusterReader {
  serverVersion(): Promise<string>;
  nodes(): Promise<V1Node[]>;
  namespaces(): Promise<V1Namespace[]>;
  /** In one namespace, or all when `namespace` is undefined. */
  daemonSets(namespace?: string): Promise<V1DaemonSet[]>;
  pods(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  controllerRevisions(namespace: string, labelSelector: string): Promise<V1ControllerRevision[]>;
  podDisruptionBudgets(namespace?: string): Promise<V1PodDisruptionBudget[]>;
  priorityClasses(): Promise<V1PriorityClass[]>;
}

/** A reader over the context `context` of a kubeconfig file (the context is validated by the caller). */
export function kubeClusterReader(kubeconfigPath: string, context: string): ClusterReader {
  const kc = loadKubeConfig(kubeconfigPath, context);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const policy = kc.makeApiClient(PolicyV1Api);
  const scheduling = kc.makeApiClient(SchedulingV1Api);
  const version = kc.makeApiClient(VersionApi);
  const call = <T>(what: string, fn: () => Promise<T>) => explained(context, what, fn);
  return {
    serverVersion: () => call('get /version', async () => (await version.getCode()).gitVersion),
    nodes: () => call('list nodes', async () => (await core.listNode()).items),
    namespaces: () => call('list namespaces', async () => (await core.listNamespace()).items),
    daemonSets: (namespace) => call(`list daemonsets${namespace ? ` in ${namespace}` : ''}`, async () => (namespace
      ? await apps.listNamespacedDaemonSet({ namespace }) : await apps.listDaemonSetForAllNamespaces()).items),
    pods: (namespace, labelSelector) => call(`list pods in ${namespace}`, async () => (await core.listNamespacedPod({ namespace, labelSelector })).items),
    controllerRevisions: (namespace, labelSelector) => call(`list controllerrevisions in ${namespace}`,
      async () => (await apps.listNamespacedControllerRevision({ namespace, labelSelector })).items),
    podDisruptionBudgets: (namespace) => call(`list poddisruptionbudgets${namespace ? ` in ${namespace}` : ''}`, async () => (namespace
      ? await policy.listNamespacedPodDisruptionBudget({ namespace }) : await policy.listPodDisruptionBudgetForAllNamespaces()).items),
    priorityClasses: () => call('list priorityclasses', async () => (await scheduling.listPriorityClass()).items),
  };
}

// Turns an API failure into one line: a refused credential is the user's to fix (exit 2), anything else infra.
async function explained<T>(context: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = apiStatus(err);
    const detail = apiMessage(err).split('\n')[0];
    if (status === 401 || status === 403) {
      throw new UsageError(`--context ${context}: the credential may not ${what} (HTTP ${status}: ${detail}); a snapshot needs get/list on nodes, namespaces, pods, daemonsets, controllerrevisions, poddisruptionbudgets, priorityclasses`, { cause: err });
    }
    throw new InfraError(`--context ${context}: ${what} failed (${status ? `HTTP ${status}: ` : ''}${detail})`, { cause: err });
  }
}
