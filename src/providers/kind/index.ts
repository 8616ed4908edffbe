// The kind provider: real clusters from kind-configs/*.yaml on Docker.
export { clusterContainers, createKindCluster, deleteKindCluster, KIND_CLUSTER_LABEL, loadImage, networkName } from './kind-cluster.js';
export type { CreateKindClusterOptions, KindCluster } from './kind-cluster.js';
