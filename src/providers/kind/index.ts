// The kind provider: real clusters from kind-configs/*.yaml on Docker.
export { clusterContainers, createKindCluster, deleteKindCluster, KIND_CLUSTER_LABEL, loadImage, networkName } from './kind-cluster.js';
export type { CreateKindClusterOptions, KindCluster } from './kind-cluster.js';
export { createKindRunCluster, deleteKindRunCluster, KindRunCluster } from './kind-run-cluster.js';
export type { KindRunOptions } from './kind-run-cluster.js';
export { kindRunConfig, KIND_NODE_MONITOR_GRACE_PERIOD } from './kind-run-config.js';
