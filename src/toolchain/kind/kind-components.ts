// Go programs the kind toolchain builds from the module proxy: kind itself and what goes into node images.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheLayout } from '../cache-dir.js';
import { kubernetesComponent } from '../components.js';
import type { GoComponentSpec } from '../go-component.js';
import { parseKubernetesVersion } from '../versions.js';
import { CRI_TOOLS_VERSION, FLANNEL_VERSION, KIND_VERSION } from './kind-versions.js';
import { KIND_SOURCE_DIR } from './recipe.js';

/** Everything kind-specific lives under `<cache>/kind/`. */
export function kindCacheDir(cache: CacheLayout, ...parts: string[]): string {
  return join(cache.root, 'kind', ...parts);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function kindComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `kind v${KIND_VERSION}`,
    dir: kindCacheDir(cache, 'kind', `v${KIND_VERSION}`),
    goMod: 'module rollcall.local/kind\n\ngo 1.26.0\n',
    tools: [`sigs.k8s.io/kind@v${KIND_VERSION}`],
    packages: [{ pkg: 'sigs.k8s.io/kind', binary: 'kind' }],
    ldflags: '-s -w',
    versionCheck: { binary: 'kind', args: ['version'], expect: new RegExp(`kind v${escapeRe(KIND_VERSION)}\\b`) },
  };
}

/** Node-side Kubernetes binaries (the control-plane ones come from the embedded provider's build). */
export const NODE_KUBE_BINARIES = ['kubelet', 'kubeadm', 'kube-proxy'] as const;

/** The spec without asking the module proxy: enough to check whether it is built. */
export function nodeKubernetesQuickSpec(versionInput: string, cache: CacheLayout): GoComponentSpec {
  const { version } = parseKubernetesVersion(versionInput);
  return {
    label: `kubernetes node binaries v${version}`,
    dir: kindCacheDir(cache, 'kubernetes', `v${version}`),
    goMod: '',
    tools: [],
    packages: NODE_KUBE_BINARIES.map((b) => ({ pkg: `k8s.io/kubernetes/cmd/${b}`, binary: b })),
    ldflags: '',
    versionCheck: { binary: 'kubeadm', args: ['version', '-o', 'short'], expect: new RegExp(`^v${escapeRe(version)}$`, 'm') },
  };
}

/** kubelet, kubeadm, kube-proxy: same wrapper module and version stamping as the embedded build. */
export async function nodeKubernetesComponent(versionInput: string, cache: CacheLayout): Promise<GoComponentSpec> {
  const base = await kubernetesComponent(versionInput, cache);
  const quick = nodeKubernetesQuickSpec(versionInput, cache);
  const { version } = parseKubernetesVersion(versionInput);
  return {
    ...base,
    label: quick.label,
    dir: quick.dir,
    tools: NODE_KUBE_BINARIES.map((b) => `k8s.io/kubernetes/cmd/${b}@v${version}`),
    packages: quick.packages,
    versionCheck: quick.versionCheck,
  };
}

/** etcd at exactly the version kubeadm asks for (`3.6.8` from kubeadm's `3.6.8-0` tag). */
export function kubeadmEtcdComponent(etcdVersion: string, cache: CacheLayout): GoComponentSpec {
  return {
    label: `etcd v${etcdVersion} (kind node image)`,
    dir: kindCacheDir(cache, 'etcd', `v${etcdVersion}`),
    goMod: 'module rollcall.local/etcd\n\ngo 1.26.0\n',
    tools: [`go.etcd.io/etcd/server/v3@v${etcdVersion}`],
    packages: [{ pkg: 'go.etcd.io/etcd/server/v3', binary: 'etcd' }],
    ldflags: '-s -w',
    versionCheck: { binary: 'etcd', args: ['--version'], expect: new RegExp(`etcd Version: ${escapeRe(etcdVersion)}\\b`) },
  };
}

/** CoreDNS at the version kubeadm deploys (`v1.14.2` for Kubernetes 1.36). */
export function corednsComponent(corednsTag: string, cache: CacheLayout): GoComponentSpec {
  const v = corednsTag.replace(/^v/, '');
  return {
    label: `coredns v${v}`,
    dir: kindCacheDir(cache, 'coredns', `v${v}`),
    goMod: 'module rollcall.local/coredns\n\ngo 1.26.0\n',
    tools: [`github.com/coredns/coredns@v${v}`],
    packages: [{ pkg: 'github.com/coredns/coredns', binary: 'coredns' }],
    ldflags: '-s -w',
    versionCheck: { binary: 'coredns', args: ['-version'], expect: new RegExp(`CoreDNS-${escapeRe(v)}\\b`) },
  };
}

/** Where our stand-in for an SDK that the module proxy does not serve lives (see go-stubs/). */
const STUBS_DIR = join(KIND_SOURCE_DIR, 'go-stubs');

/**
 * flanneld links every backend, and its tencent-vpc backend needs an SDK module the proxy does not
 * serve: replace that module with our own stub (copied next to the scratch go.mod).
 */
export function flannelComponent(cache: CacheLayout): GoComponentSpec {
  const dir = kindCacheDir(cache, 'flannel', `v${FLANNEL_VERSION}`);
  cpSync(join(STUBS_DIR, 'tencentcloud-vpc'), join(dir, 'src', 'stub-tencentcloud-vpc'), { recursive: true });
  return {
    label: `flannel v${FLANNEL_VERSION}`,
    dir,
    goMod:
      'module rollcall.local/flannel\n\ngo 1.26.0\n\n' +
      'replace github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc => ./stub-tencentcloud-vpc\n',
    tools: [`github.com/flannel-io/flannel@v${FLANNEL_VERSION}`],
    packages: [{ pkg: 'github.com/flannel-io/flannel', binary: 'flanneld' }],
    ldflags: `-s -w -X github.com/flannel-io/flannel/pkg/version.Version=v${FLANNEL_VERSION}`,
    versionCheck: { binary: 'flanneld', args: ['--version'], expect: new RegExp(`v${escapeRe(FLANNEL_VERSION)}\\b`) },
  };
}

export function crictlComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `crictl v${CRI_TOOLS_VERSION}`,
    dir: kindCacheDir(cache, 'cri-tools', `v${CRI_TOOLS_VERSION}`),
    goMod: 'module rollcall.local/cri-tools\n\ngo 1.26.0\n',
    tools: [`sigs.k8s.io/cri-tools/cmd/crictl@v${CRI_TOOLS_VERSION}`],
    packages: [{ pkg: 'sigs.k8s.io/cri-tools/cmd/crictl', binary: 'crictl' }],
    ldflags: `-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=v${CRI_TOOLS_VERSION}`,
    versionCheck: { binary: 'crictl', args: ['--version'], expect: new RegExp(`v${escapeRe(CRI_TOOLS_VERSION)}\\b`) },
  };
}
