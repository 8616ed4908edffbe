// A real OCI registry for one kind cluster, started with testcontainers on the cluster's docker
// network: the open registry, one that answers 401, and a Toxiproxy in front of the open one
// (outages, slow pulls). Every container is labelled with the cluster, so `rollcall gc` and
// deleteKindCluster remove them even after a killed run (testcontainers' reaper cannot be pulled).
import { execa } from 'execa';
import type { StartedTestContainer } from 'testcontainers';
import { DOCKER_ENV } from '../../toolchain/kind/docker-cli.js';
import { InfraError } from '../../util/errors.js';
import { randomBytes } from 'node:crypto';

/** Label on every registry container: the kind cluster it serves. */
export const REGISTRY_CLUSTER_LABEL = 'io.rollcall.registry-for';

/** Names the nodes pull from (network aliases on the cluster's network; the same in every cluster). */
export const REGISTRY_HOSTS = {
  open: 'rollcall-registry:5000',
  auth: 'rollcall-registry-auth:5000',
  /** Toxiproxy's proxy that outages cut. */
  proxied: 'rollcall-registry-proxy:5000',
  /** Toxiproxy's proxy that always adds latency. */
  slow: 'rollcall-registry-proxy:5001',
} as const;

/** The repository the workload image is pushed to. */
const REPO = 'rollcall/busybox';
/** Latency per chunk on the slow proxy: a pull of the small workload image takes minutes. */
export const SLOW_REGISTRY_LATENCY_MS = 20_000;

export interface KindRegistryOptions {
  cluster: string;
  /** The cluster's docker network (kind-<cluster>). */
  network: string;
  registryImage: string;
  toxiproxyImage: string;
  /** The local workload image, pushed into the registry. */
  workloadImage: string;
}

/** The cluster's registry: image references for the bad-image kinds, outages, teardown. */
export class KindRegistry {
  private tags = 0;

  private constructor(
    private readonly opts: KindRegistryOptions,
    private readonly containers: StartedTestContainer[],
    private readonly pushTo: string,
    private readonly toxiproxyApi: string,
    /** A tag of the workload image that only the slow proxy serves to nodes. */
    readonly slowImage: string,
  ) {}

  /** Starts the three containers, creates the proxies and pushes the workload image. */
  static async start(opts: KindRegistryOptions): Promise<KindRegistry> {
    // testcontainers' reaper (Ryuk) is an image that cannot be pulled here; our labels and
    // deleteKindCluster do its job. Read when testcontainers first talks to Docker.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { GenericContainer, Wait } = await import('testcontainers');
    const labels = { [REGISTRY_CLUSTER_LABEL]: opts.cluster, 'io.rollcall.owner-pid': String(process.pid) };
    const started: StartedTestContainer[] = [];
    const container = (image: string, alias: string, port: number) =>
      new GenericContainer(image).withName(`${opts.cluster}-${alias}`).withNetworkMode(opts.network).withNetworkAliases(alias).withExposedPorts(port).withLabels(labels).withStartupTimeout(60_000);
    try {
      const open = await container(opts.registryImage, 'rollcall-registry', 5000).withWaitStrategy(Wait.forHttp('/v2/', 5000)).start();
      started.push(open);
      // No htpasswd file: the registry provisions one with a random password, so every pull is refused (401).
      const auth = await container(opts.registryImage, 'rollcall-registry-auth', 5000)
        .withEnvironment({ REGISTRY_AUTH: 'htpasswd', REGISTRY_AUTH_HTPASSWD_REALM: 'rollcall', REGISTRY_AUTH_HTPASSWD_PATH: '/tmp/htpasswd' })
        .withWaitStrategy(Wait.forHttp('/v2/', 5000).forStatusCode(401))
        .start();
      started.push(auth);
      const proxy = await container(opts.toxiproxyImage, 'rollcall-registry-proxy', 8474).withWaitStrategy(Wait.forHttp('/version', 8474)).start();
      started.push(proxy);
      const api = `http://${proxy.getHost()}:${proxy.getMappedPort(8474)}`;
      await toxiproxy(api, 'POST', '/proxies', { name: 'proxied', listen: '0.0.0.0:5000', upstream: REGISTRY_HOSTS.open, enabled: true });
      await toxiproxy(api, 'POST', '/proxies', { name: 'slow', listen: '0.0.0.0:5001', upstream: REGISTRY_HOSTS.open, enabled: true });
      await toxiproxy(api, 'POST', '/proxies/slow/toxics', { name: 'latency', type: 'latency', stream: 'downstream', attributes: { latency: SLOW_REGISTRY_LATENCY_MS, jitter: 0 } });
      // Docker pushes plain HTTP only to loopback registries, whatever host testcontainers reports.
      const registry = new KindRegistry(opts, started, `127.0.0.1:${open.getMappedPort(5000)}`, api, '');
      await registry.push(opts.workloadImage.slice(opts.workloadImage.lastIndexOf(':') + 1));
      const slowTag = `slow-${randomBytes(3).toString('hex')}`;
      await registry.push(slowTag);
      return Object.assign(registry, { slowImage: `${REGISTRY_HOSTS.slow}/${REPO}:${slowTag}` });
    } catch (err) {
      for (const c of started.reverse()) await c.stop().catch(() => {});
      throw new InfraError(`cannot start the registry of kind cluster ${opts.cluster}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
  }

  /** A tag of the workload image that exists (404 for any other), served by the open registry. */
  get missingTagImage(): string {
    return `${REGISTRY_HOSTS.open}/${REPO}:no-such-tag`;
  }

  /** An image of the registry that refuses anonymous pulls (401). */
  get authRequiredImage(): string {
    return `${REGISTRY_HOSTS.auth}/${REPO}:${this.opts.workloadImage.slice(this.opts.workloadImage.lastIndexOf(':') + 1)}`;
  }

  /**
   * Pushes the workload image under a new tag and returns its reference through the proxy that
   * outages cut: no node has pulled it yet, so every node that runs it pulls for real.
   */
  async freshImage(): Promise<string> {
    const tag = `fresh-${++this.tags}-${randomBytes(2).toString('hex')}`;
    await this.push(tag);
    return `${REGISTRY_HOSTS.proxied}/${REPO}:${tag}`;
  }

  /** Cuts the proxy: nodes pulling through it get "connection refused" until `restore()`. */
  async cut(): Promise<void> {
    await toxiproxy(this.toxiproxyApi, 'POST', '/proxies/proxied', { enabled: false });
  }

  /** Serves through the proxy again. */
  async restore(): Promise<void> {
    await toxiproxy(this.toxiproxyApi, 'POST', '/proxies/proxied', { enabled: true });
  }

  /** Stops and removes the containers (before the cluster's network goes). Safe to call twice. */
  async stop(): Promise<void> {
    for (const c of this.containers.splice(0).reverse()) await c.stop({ remove: true, removeVolumes: true }).catch(() => {});
  }

  /**
   * `docker push` of the workload image as `<repo>:<tag>` through the registry's host port (Docker
   * allows plain HTTP to loopback). Each tag is its own image (a label on top; the layer is shared):
   * a kubelet that pulled an image ID stops treating the preloaded `busybox:1.36` of the same ID as
   * preloaded and re-checks it against its registry (credential verification of pulled images),
   * which no registry here can answer.
   */
  private async push(tag: string): Promise<void> {
    const local = `${this.pushTo}/${REPO}:${tag}`;
    try {
      const build = await execa('docker', ['build', '-q', '-t', local, '-'], { input: `FROM ${this.opts.workloadImage}\nLABEL io.rollcall.registry-tag=${tag}\n`, reject: false, all: true, env: DOCKER_ENV });
      if (build.exitCode !== 0) throw new InfraError(`cannot make the image for ${local}: ${build.all?.trim().split('\n').pop() ?? 'no output'}`);
      await docker(['push', '--quiet', local]);
    } finally {
      await execa('docker', ['image', 'rm', local], { reject: false });
    }
  }
}

/**
 * Lines of a containerd hosts.toml (certs.d layout) for each registry host: plain HTTP, pull and
 * resolve. The node image sets `config_path = "/etc/containerd/certs.d"`.
 */
export function hostsTomlScript(): string {
  return Object.values(REGISTRY_HOSTS)
    .map((h) => `mkdir -p /etc/containerd/certs.d/${h} && printf '%s\\n' 'server = "http://${h}"' '[host."http://${h}"]' '  capabilities = ["pull", "resolve"]' > /etc/containerd/certs.d/${h}/hosts.toml`)
    .join(' && ');
}

/** Writes the registry's hosts.toml files into a node container (read by containerd on every pull). */
export async function pointNodeAtRegistry(container: string): Promise<void> {
  await docker(['exec', container, 'sh', '-c', hostsTomlScript()]);
}

/** Removes registry containers left by a killed run (by label), so the cluster's network can go. */
export async function removeRegistryLeftovers(cluster: string): Promise<void> {
  const ps = await execa('docker', ['ps', '-aq', '--filter', `label=${REGISTRY_CLUSTER_LABEL}=${cluster}`], { reject: false });
  const ids = ps.stdout.split('\n').filter(Boolean);
  if (ids.length) await execa('docker', ['rm', '-f', '-v', ...ids], { reject: false });
}

async function toxiproxy(api: string, method: string, path: string, body: unknown): Promise<void> {
  const r = await fetch(`${api}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new InfraError(`toxiproxy ${method} ${path}: HTTP ${r.status} ${(await r.text()).trim()}`);
}

async function docker(args: string[]): Promise<void> {
  const r = await execa('docker', args, { reject: false, all: true, env: DOCKER_ENV });
  if (r.exitCode !== 0) throw new InfraError(`docker ${args.slice(0, 2).join(' ')} failed: ${r.all?.trim().split('\n').pop() ?? 'no output'}`);
}
