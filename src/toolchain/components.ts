// The pinned components of the embedded provider: Kubernetes control plane + kubectl, etcd, kwok.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { InfraError } from '../util/errors.js';
import type { CacheLayout } from './cache-dir.js';
import type { GoComponentSpec } from './go-component.js';
import { ETCD_VERSION, KWOK_VERSION, parseKubernetesVersion } from './versions.js';

export const KUBE_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'] as const;

/**
 * k8s.io/kubernetes cannot be built as a plain dependency: its go.mod replaces every staging
 * module (k8s.io/api, client-go, ...) with a local folder. We read that list from the released
 * go.mod and replace each with its published v0.<minor>.<patch> module instead.
 */
export async function kubernetesComponent(versionInput: string, cache: CacheLayout, go = 'go'): Promise<GoComponentSpec> {
  const { version, minor, staging } = parseKubernetesVersion(versionInput);
  const dl = await execa(go, ['mod', 'download', '-json', `k8s.io/kubernetes@v${version}`], { reject: false });
  let goModFile: string | undefined;
  try {
    goModFile = (JSON.parse(dl.stdout) as { GoMod?: string; Error?: string }).GoMod;
  } catch {
    /* reported below */
  }
  if (dl.exitCode !== 0 || !goModFile) {
    throw new InfraError(`Kubernetes v${version} is not available from the Go module proxy (go mod download k8s.io/kubernetes@v${version}: ${firstLine(dl.stdout || dl.stderr)})`);
  }
  const staged = stagingModules(readFileSync(goModFile, 'utf8'));
  const replaces = staged.map((m) => `\t${m} => ${m} ${staging}\n`).join('');
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((p) => [
      `-X ${p}.gitVersion=v${version}`,
      `-X ${p}.gitMajor=1`,
      `-X ${p}.gitMinor=${minor}`,
      `-X ${p}.gitTreeState=clean`,
      `-X ${p}.buildDate=1970-01-01T00:00:00Z`,
    ])
    .join(' ');
  return {
    ...kubernetesBuiltSpec(version, cache),
    goMod: `module rollcall.local/kubernetes\n\ngo 1.26.0\n\nreplace (\n${replaces})\n`,
    tools: KUBE_BINARIES.map((b) => `k8s.io/kubernetes/cmd/${b}@v${version}`),
    packages: KUBE_BINARIES.map((b) => ({ pkg: `k8s.io/kubernetes/cmd/${b}`, binary: b })),
    ldflags: `-s -w ${stamp}`,
  };
}

/**
 * Enough of the Kubernetes spec to find and version-check what is already built, without asking
 * the module proxy (kubernetesComponent needs `go mod download`).
 */
export function kubernetesBuiltSpec(version: string, cache: CacheLayout): GoComponentSpec {
  return {
    label: `kubernetes v${version}`,
    dir: cache.kubernetes(version),
    goMod: '',
    tools: [],
    ldflags: '',
    packages: KUBE_BINARIES.map((b) => ({ pkg: '', binary: b })),
    versionCheck: { binary: 'kube-apiserver', args: ['--version'], expect: new RegExp(`Kubernetes v${version.replace(/\./g, '\\.')}\\b`) },
  };
}

/** Module paths that k8s.io/kubernetes' go.mod replaces with ./staging folders. */
export function stagingModules(goMod: string): string[] {
  const out: string[] = [];
  for (const m of goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)) out.push(m[1]!);
  return out;
}

export function etcdComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `etcd v${ETCD_VERSION}`,
    dir: cache.etcd(ETCD_VERSION),
    goMod: 'module rollcall.local/etcd\n\ngo 1.26.0\n',
    tools: [`go.etcd.io/etcd/server/v3@v${ETCD_VERSION}`],
    packages: [{ pkg: 'go.etcd.io/etcd/server/v3', binary: 'etcd' }],
    ldflags: '-s -w',
    versionCheck: { binary: 'etcd', args: ['--version'], expect: new RegExp(`etcd Version: ${ETCD_VERSION.replace(/\./g, '\\.')}\\b`) },
  };
}

export function kwokComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `kwok v${KWOK_VERSION}`,
    dir: cache.kwok(KWOK_VERSION),
    goMod: 'module rollcall.local/kwok\n\ngo 1.26.0\n',
    tools: ['kwok', 'kwokctl'].map((b) => `sigs.k8s.io/kwok/cmd/${b}@v${KWOK_VERSION}`),
    packages: ['kwok', 'kwokctl'].map((b) => ({ pkg: `sigs.k8s.io/kwok/cmd/${b}`, binary: b })),
    ldflags: `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION}`,
    versionCheck: { binary: 'kwokctl', args: ['--version'], expect: new RegExp(`${KWOK_VERSION.replace(/\./g, '\\.')}\\b`) },
  };
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim()) ?? 'no output';
}
