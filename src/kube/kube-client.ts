// A thin typed wrapper over @kubernetes/client-node: the API groups rollcall uses and patch helpers.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
} from '@kubernetes/client-node';

export interface KubeClient {
  kubeconfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
  version: VersionApi;
}

/**
 * A kubeconfig file (optionally a named context) whose API calls share keep-alive connections.
 * client-node 1.x makes a new https.Agent for every call, so each one opened a connection and
 * parsed the CA and client key again: creating 1,000 nodes spent about 4 s of the harness's CPU on
 * TLS alone (and the API server its share of handshakes). One agent per TLS identity is kept
 * instead for request and response calls (watches keep a connection each); a credential that
 * changes (an exec plugin's new certificate) gets its own.
 */
export function loadKubeConfig(kubeconfigPath: string, context?: string): KubeConfig {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(kubeconfigPath);
  if (context) kubeconfig.setCurrentContext(context);
  shareAgents(kubeconfig);
  return kubeconfig;
}

type AgentFactory = (cluster: unknown, options: Record<string, unknown>) => unknown;

function shareAgents(kc: KubeConfig): void {
  const target = kc as unknown as { createAgent?: AgentFactory };
  const make = target.createAgent?.bind(kc);
  if (!make) return; // a client-node without the hook: one agent per call, as before
  const agents = new Map<string, unknown>();
  const part = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
  target.createAgent = (cluster, options) => {
    const c = cluster as { server?: string; proxyUrl?: string } | undefined;
    const key = JSON.stringify([c?.server, c?.proxyUrl, ...['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'timeout'].map((k) => part(options[k]))]);
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = make(cluster, { ...options, keepAlive: true })));
    return agent;
  };
  // Watches stream for minutes: each keeps a connection of its own, outside the shared pool.
  const fetchOptions = kc.applyToFetchOptions.bind(kc);
  kc.applyToFetchOptions = async (opts) => {
    const init = await fetchOptions(opts);
    const shared = (init as { agent?: { options?: Record<string, unknown> } }).agent;
    if (shared?.options && [...agents.values()].includes(shared)) {
      (init as { agent?: unknown }).agent = make(kc.getCurrentCluster(), { ...shared.options, keepAlive: false });
    }
    return init;
  };
}

/** Clients for the cluster described by a kubeconfig file (optionally a named context). */
export function kubeClient(kubeconfigPath: string, context?: string): KubeClient {
  const kubeconfig = loadKubeConfig(kubeconfigPath, context);
  return {
    kubeconfig,
    core: kubeconfig.makeApiClient(CoreV1Api),
    apps: kubeconfig.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(kubeconfig),
    version: kubeconfig.makeApiClient(VersionApi),
  };
}

/** Request options that send a JSON merge patch (RFC 7386). */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** Request options that send a JSON patch (RFC 6902). */
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
/** Request options that send a strategic merge patch. */
export const strategicPatch = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** HTTP status of an API error from client-node, if it has one. */
export function apiStatus(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown; response?: { httpStatusCode?: unknown } };
  for (const v of [e?.code, e?.statusCode, e?.response?.httpStatusCode]) if (typeof v === 'number') return v;
  return undefined;
}

/** The message the API server gave (`Status.message`), or the error's own. */
export function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      /* not JSON */
    }
  } else if (body && typeof body === 'object' && 'message' in body) {
    return String((body as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

/** Runs a call and treats 404 Not Found as done (for deletes during cleanup). */
export async function ignoreNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (apiStatus(err) === 404) return undefined;
    throw err;
  }
}
