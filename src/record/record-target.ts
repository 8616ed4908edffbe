// Which cluster `rollcall record` watches: a context the user named explicitly, or a cluster rollcall created.
import { kubeClient, type KubeClient } from '../kube/kube-client.js';
import { resolveNamedContext } from '../providers/existing/existing-cluster.js';
import { readRecord } from '../providers/registry.js';
import { locateToolchain } from '../toolchain/toolchain.js';
import { UsageError } from '../util/errors.js';

export interface RecordTarget {
  kube: KubeClient;
  /** For the header and the twin's metadata: the context, or the rollcall cluster's name. */
  source: { context?: string; cluster?: string };
  label: string;
}

/** Opens `--context CTX [--kubeconfig F]` or `--cluster NAME`, exactly one of them. */
export function openRecordTarget(args: { context?: string; kubeconfig?: string; cluster?: string }, env: NodeJS.ProcessEnv = process.env): RecordTarget {
  if (args.cluster !== undefined && (args.context !== undefined || args.kubeconfig !== undefined)) {
    throw new UsageError('--cluster: give either --cluster NAME or --context CTX [--kubeconfig F], not both');
  }
  if (args.cluster !== undefined) {
    // Reading the registry needs only the cache's paths, never a build.
    const rec = readRecord(locateToolchain().cache.registry, args.cluster);
    if (!rec) throw new UsageError(`--cluster: "${args.cluster}" is not a cluster rollcall created on this machine (see rollcall cluster list)`);
    return { kube: kubeClient(rec.kubeconfig), source: { cluster: rec.name }, label: `cluster ${rec.name}` };
  }
  if (args.context === undefined) throw new UsageError('--context: required, or --cluster NAME (rollcall never records the current context implicitly)');
  const { context, kubeconfigPath } = resolveNamedContext({ context: args.context, kubeconfig: args.kubeconfig }, env, 'with record');
  return { kube: kubeClient(kubeconfigPath, context), source: { context }, label: `context ${context}` };
}
