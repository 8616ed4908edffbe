// The realistic cluster the check test snapshots: three pools, tainted GPU nodes, six DaemonSets with the
// settings `rollcall check` must flag, a PDB over daemon pods, one rollout halted by a bad image.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RbacAuthorizationV1Api, SchedulingV1Api, PolicyV1Api, type V1Container, type V1DaemonSet, type V1Toleration } from '@kubernetes/client-node';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { kwokNodeManifest } from '../../src/providers/kwok/node-manifest.js';
import { waitNodesReady } from '../../src/kube/node-api.js';
import { mergePatch } from '../../src/kube/kube-client.js';
import { watchUntil } from '../../src/kube/watch-until.js';
import { startCluster, waitForPods } from './kwok-fixture.js';

const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const ALL: V1Toleration[] = [{ operator: 'Exists' }];
const probe = { exec: { command: ['true'] } };

// A container that passes the spec checks unless told otherwise.
function container(over: Partial<V1Container> = {}): V1Container {
  return { name: 'agent', image: 'busybox:1.36', readinessProbe: probe, resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '64Mi' } }, ...over };
}

function daemonSet(namespace: string, name: string, pod: Record<string, unknown>, spec: Record<string, unknown> = {}): V1DaemonSet {
  return {
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: { metadata: { labels: { app: name } }, spec: { priorityClassName: 'system-node-critical', terminationGracePeriodSeconds: 5, containers: [container()], ...pod } },
      ...spec,
    },
  } as V1DaemonSet;
}

/** The six DaemonSets; what each should be flagged for is in check.test.ts. */
export const DAEMON_SETS: V1DaemonSet[] = [
  daemonSet('logging', 'log-agent', { containers: [container({ env: [{ name: 'API_TOKEN', value: 's3cr3t-value' }] })] }),
  daemonSet('logging', 'heavy-agent', { priorityClassName: 'agents-high', containers: [container({ resources: { requests: { cpu: '3', memory: '1Gi' }, limits: { memory: '1Gi' } } })] }),
  daemonSet('monitoring', 'gpu-monitor', {
    nodeSelector: { accelerator: 'nvidia' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'maintenance.example.com/drain', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
  }),
  daemonSet('monitoring', 'legacy-exporter', { priorityClassName: undefined, containers: [{ name: 'exporter', image: 'busybox:1.36' }] }, { updateStrategy: { type: 'OnDelete' } }),
  daemonSet('monitoring', 'metrics-agent', { tolerations: ALL }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } } }),
  daemonSet('edge', 'edge-proxy', { tolerations: ALL, containers: [container({ name: 'proxy', ports: [{ containerPort: 8080, hostPort: 8080 }] })] },
    { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
];

/** What each DaemonSet's status settles at: [desired, available]. */
const SETTLED: Record<string, [number, number]> = {
  'logging/log-agent': [5, 5], 'logging/heavy-agent': [5, 3], 'monitoring/gpu-monitor': [2, 2], 'monitoring/legacy-exporter': [5, 5],
  'monitoring/metrics-agent': [7, 3], 'edge/edge-proxy': [7, 7],
};

/** Starts the cluster and waits until every DaemonSet, the halted rollout and the PDB have settled. */
export async function startCheckCluster(): Promise<KwokCluster> {
  const cluster = await startCluster([
    ...['gen-1', 'gen-2', 'gen-3'].map((name) => ({ name, labels: { pool: 'general' } })),
    ...['gpu-1', 'gpu-2'].map((name) => ({ name, labels: { pool: 'gpu', accelerator: 'nvidia' }, taints: [GPU_TAINT] })),
  ]);
  try {
    const { kube } = cluster;
    // The infra pool is small: its allocatable is what the kwok node reports from the start.
    for (const name of ['infra-1', 'infra-2']) {
      const resources = { cpu: '2', memory: '4Gi', pods: '110' };
      await kube.core.createNode({ body: { ...kwokNodeManifest({ name, labels: { pool: 'infra' } }), status: { allocatable: resources, capacity: resources } } });
    }
    await waitNodesReady(kube, ['infra-1', 'infra-2']);
    for (const name of ['logging', 'monitoring', 'edge']) {
      const annotations = name === 'edge' ? { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=general' } : undefined;
      await kube.core.createNamespace({ body: { metadata: { name, annotations } } });
    }
    await kube.kubeconfig.makeApiClient(SchedulingV1Api).createPriorityClass({ body: { metadata: { name: 'agents-high' }, value: 1_000_000 } });
    await kube.kubeconfig.makeApiClient(PolicyV1Api).createNamespacedPodDisruptionBudget({
      namespace: 'monitoring', body: { metadata: { name: 'metrics-agent' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'metrics-agent' } } } },
    });
    for (const ds of DAEMON_SETS) await kube.apps.createNamespacedDaemonSet({ namespace: ds.metadata!.namespace!, body: ds });
    await waitForPods(kube, 'monitoring', 'app=metrics-agent', (pods) => pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 7, '7 metrics-agent pods Ready');
    // The halted rollout: a bad image, and maxUnavailable 50% of 7 lets the controller take 4 nodes.
    const image = { spec: { template: { spec: { containers: [{ ...container(), image: cluster.badImage('pull-error') }] } } } };
    await kube.apps.patchNamespacedDaemonSet({ namespace: 'monitoring', name: 'metrics-agent', body: image }, mergePatch);
    await watchUntil<V1DaemonSet>(kube, {
      path: '/apis/apps/v1/daemonsets', list: () => kube.apps.listDaemonSetForAllNamespaces(), timeoutMs: 120_000, what: 'DaemonSets settled',
      check: (all) => {
        const off = all.map((d) => {
          const id = `${d.metadata?.namespace}/${d.metadata?.name}`; const s = d.status;
          const [desired, available] = SETTLED[id] ?? [0, 0];
          const ok = (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s?.desiredNumberScheduled === desired && (s?.numberAvailable ?? 0) === available
            && (id !== 'monitoring/metrics-agent' || s?.updatedNumberScheduled === 4);
          return ok ? '' : `${id} desired ${s?.desiredNumberScheduled} available ${s?.numberAvailable ?? 0} updated ${s?.updatedNumberScheduled ?? 0}`;
        }).filter(Boolean);
        return off.length === 0 && all.length === DAEMON_SETS.length ? true : off.join('; ');
      },
    });
    const policy = kube.kubeconfig.makeApiClient(PolicyV1Api);
    await watchUntil(kube, {
      path: '/apis/policy/v1/namespaces/monitoring/poddisruptionbudgets', list: () => policy.listNamespacedPodDisruptionBudget({ namespace: 'monitoring' }), timeoutMs: 60_000,
      // maxUnavailable over DaemonSet pods: the disruption controller needs a scale subresource and gives up (SyncFailed).
      what: 'PDB synced', check: ([p]) => ((p?.status?.observedGeneration ?? 0) >= 1 ? true : JSON.stringify(p?.status ?? {})),
    });
    return cluster;
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
}

/**
 * A kubeconfig whose only context, `readonly`, uses a ServiceAccount token (TokenRequest API) bound to a
 * ClusterRole with get/list/watch on what a snapshot reads, and nothing else: no Secrets, no ConfigMaps, no writes.
 */
export async function readOnlyKubeconfig(cluster: KwokCluster, dir: string): Promise<string> {
  const { kube } = cluster;
  const rbac = kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api);
  const namespace = 'rollcall-readonly';
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  await kube.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'snapshot' } } });
  const verbs = ['get', 'list', 'watch'];
  await rbac.createClusterRole({ body: { metadata: { name: 'rollcall-snapshot' }, rules: [
    { apiGroups: [''], resources: ['nodes', 'namespaces', 'pods'], verbs },
    { apiGroups: ['apps'], resources: ['daemonsets', 'controllerrevisions'], verbs },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs },
    { apiGroups: ['scheduling.k8s.io'], resources: ['priorityclasses'], verbs },
  ] } });
  await rbac.createClusterRoleBinding({ body: {
    metadata: { name: 'rollcall-snapshot' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'rollcall-snapshot' },
    subjects: [{ kind: 'ServiceAccount', name: 'snapshot', namespace }],
  } });
  const token = await kube.core.createNamespacedServiceAccountToken({ name: 'snapshot', namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const server = kube.kubeconfig.getCurrentCluster()!;
  const path = join(dir, 'readonly.kubeconfig');
  writeFileSync(path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'kwok', cluster: { server: server.server, 'certificate-authority': server.caFile } }],
    users: [{ name: 'snapshot', user: { token: token.status!.token } }],
    contexts: [{ name: 'readonly', context: { cluster: 'kwok', user: 'snapshot' } }],
  }));
  return path;
}
