// Adds a worker to a running kind cluster, as kind itself provisions one (providers/docker/
// provision.go: same `docker run` flags and labels) and joins it (actions/kubeadmjoin: `kubeadm
// join --config`), with a fresh token from the control plane instead of kind's fixed one.
import type { V1Taint } from '@kubernetes/client-node';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { KIND_CLUSTER_LABEL, networkName } from './kind-cluster.js';
import { kubeletLabels, stringifyQuoted } from './kind-run-config.js';

export interface JoinNodeOptions {
  cluster: string;
  /** Node container to create (kind's naming: `<cluster>-<something>`). */
  container: string;
  nodeImage: string;
  /** Kubernetes node name to register. */
  nodeName: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  signal?: AbortSignal;
}

/** Starts the node container and runs `kubeadm join` in it. Removes the container if that fails. */
export async function joinNewNode(opts: JoinNodeOptions): Promise<void> {
  const run = await execa('docker', ['run', '--name', opts.container, ...nodeRunArgs(opts.cluster, opts.container), opts.nodeImage], { reject: false, all: true, cancelSignal: opts.signal });
  if (run.exitCode !== 0) {
    await removeContainer(opts.container);
    throw new InfraError(`docker run of node ${opts.container} failed: ${run.all?.trim().split('\n').pop() ?? 'no output'}`);
  }
  try {
    await waitForSystemd(opts.container, 120_000);
    const join = await joinCommand(opts.cluster);
    const ip = (await docker(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', opts.container])).trim();
    const config = joinConfiguration({ ...opts, ...join, ip });
    await docker(['exec', '-i', opts.container, 'sh', '-c', 'cat > /kind/rollcall-join.yaml'], config);
    const r = await execa('docker', ['exec', opts.container, 'kubeadm', 'join', '--config', '/kind/rollcall-join.yaml', '--v=2'], { reject: false, all: true, cancelSignal: opts.signal });
    if (r.exitCode !== 0) throw new InfraError(`kubeadm join of node ${opts.nodeName} (${opts.container}) failed: ${r.all?.trim().split('\n').slice(-3).join(' | ')}`);
  } catch (err) {
    await removeContainer(opts.container);
    throw err;
  }
}

/** kind's `docker run` flags for a worker (commonArgs + runArgsForNode in provision.go). */
export function nodeRunArgs(cluster: string, container: string): string[] {
  return [
    '--detach', '--tty',
    '--label', `${KIND_CLUSTER_LABEL}=${cluster}`,
    '--net', networkName(cluster),
    '--restart=on-failure:1', '--init=false', '--cgroupns=private',
    '--hostname', container,
    '--label', 'io.x-k8s.kind.role=worker',
    '--privileged', '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined',
    '--tmpfs', '/tmp', '--tmpfs', '/run',
    '--volume', '/var', '--volume', '/lib/modules:/lib/modules:ro',
    '-e', 'KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER',
  ];
}

/** kind's JoinConfiguration (kubeadm v1beta4) for a worker, with our name, labels and taints. */
export function joinConfiguration(o: { cluster: string; container: string; nodeName: string; labels?: Record<string, string>; taints?: V1Taint[]; endpoint: string; token: string; caCertHash: string; ip: string }): string {
  const labels = Object.entries(kubeletLabels(o.labels)).map(([k, v]) => `${k}=${v}`).join(',');
  return stringifyQuoted({
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'JoinConfiguration',
    nodeRegistration: {
      name: o.nodeName,
      criSocket: 'unix:///run/containerd/containerd.sock',
      kubeletExtraArgs: [
        { name: 'node-ip', value: o.ip },
        { name: 'provider-id', value: `kind://docker/${o.cluster}/${o.container}` },
        { name: 'node-labels', value: labels },
      ],
      taints: (o.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })),
    },
    discovery: { bootstrapToken: { apiServerEndpoint: o.endpoint, token: o.token, caCertHashes: [o.caCertHash] } },
    skipPhases: ['preflight'],
  });
}

/** A short-lived bootstrap token and the CA hash, from `kubeadm token create --print-join-command`. */
async function joinCommand(cluster: string): Promise<{ endpoint: string; token: string; caCertHash: string }> {
  const out = await docker(['exec', `${cluster}-control-plane`, 'kubeadm', 'token', 'create', '--ttl', '15m', '--print-join-command']);
  const m = /kubeadm join (\S+) --token (\S+) --discovery-token-ca-cert-hash (\S+)/.exec(out);
  if (!m) throw new InfraError(`unexpected output of kubeadm token create --print-join-command: ${out.trim()}`);
  return { endpoint: m[1]!, token: m[2]!, caCertHash: m[3]! };
}

/** kind waits for this line in the node's log before using it (NodeReachedCgroupsReadyRegexp). */
async function waitForSystemd(container: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await execa('docker', ['logs', container], { reject: false, all: true });
    last = r.all ?? '';
    if (/Reached target .*Multi-User System.*|detected cgroup v1/.test(last)) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new InfraError(`node ${container}: systemd did not reach multi-user.target within ${timeoutMs / 1000} s; last log line: ${last.trim().split('\n').pop() ?? 'none'}`);
}

export async function removeContainer(container: string): Promise<void> {
  await execa('docker', ['rm', '-f', '-v', container], { reject: false });
}

async function docker(args: string[], input?: string): Promise<string> {
  const r = await execa('docker', args, { reject: false, all: true, input });
  if (r.exitCode !== 0) throw new InfraError(`docker ${args.slice(0, 3).join(' ')} failed: ${r.all?.trim().split('\n').pop() ?? 'no output'}`);
  return r.stdout;
}
