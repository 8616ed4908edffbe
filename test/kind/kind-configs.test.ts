// The shipped kind configs, config validation, and the runc wrapper: no Docker or cluster needed.
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createKindCluster } from '../../src/providers/kind/index.js';
import { UsageError } from '../../src/util/errors.js';

const CONFIGS = join(import.meta.dirname, '..', '..', 'kind-configs');
const WRAPPER = join(import.meta.dirname, '..', '..', 'src', 'toolchain', 'kind', 'runc-nosysres.sh');

interface KindNode { role: string; labels?: Record<string, string>; kubeadmConfigPatches?: string[] }
interface KindConfig { kind: string; apiVersion: string; nodes: KindNode[]; kubeadmConfigPatches?: string[] }
const load = (file: string) => parse(readFileSync(join(CONFIGS, file), 'utf8')) as KindConfig;

describe('kind-configs', () => {
  it('three-workers.yaml has one control plane and three workers, and keeps kubelets running on cgroup v1', () => {
    const cfg = load('three-workers.yaml');
    expect(cfg).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect(cfg.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker', 'worker']);
    const patches = (cfg.kubeadmConfigPatches ?? []).map((p) => parse(p) as Record<string, unknown>);
    expect(patches).toContainEqual(expect.objectContaining({ kind: 'KubeletConfiguration', failCgroupV1: false }));
  });

  it('worker-pools.yaml has a labelled and tainted dedicated pool beside general workers', () => {
    const cfg = load('worker-pools.yaml');
    const workers = cfg.nodes.filter((n) => n.role === 'worker');
    const dedicated = workers.filter((n) => n.labels?.['rollcall.dev/pool'] === 'dedicated');
    expect(dedicated).toHaveLength(2);
    expect(workers.filter((n) => n.labels?.['rollcall.dev/pool'] === 'general')).toHaveLength(2);
    for (const node of dedicated) {
      const join = (node.kubeadmConfigPatches ?? []).map((p) => parse(p) as { kind: string; nodeRegistration?: { taints?: unknown[] } });
      expect(join).toContainEqual({
        kind: 'JoinConfiguration',
        nodeRegistration: { taints: [{ key: 'rollcall.dev/dedicated', value: 'true', effect: 'NoSchedule' }] },
      });
    }
  });
});

describe('createKindCluster input checks (before anything runs)', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const create = (name: string, configPath: string) => createKindCluster({ name, configPath, kindBinary: '/nonexistent/kind', workDir: tmpdir() });

  it('rejects a cluster name that is not a DNS label', async () => {
    await expect(create('Bad_Name', join(CONFIGS, 'three-workers.yaml'))).rejects.toThrow(UsageError);
    await expect(create('Bad_Name', join(CONFIGS, 'three-workers.yaml'))).rejects.toThrow(/invalid kind cluster name "Bad_Name"/);
  });

  it('names the file and field of a bad config', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollcall-kind-'));
    const missing = join(dir, 'missing.yaml');
    await expect(create('ok', missing)).rejects.toThrow(`kind config ${missing} does not exist`);
    const wrongKind = join(dir, 'wrong.yaml');
    writeFileSync(wrongKind, 'kind: Pod\napiVersion: kind.x-k8s.io/v1alpha4\n');
    await expect(create('ok', wrongKind)).rejects.toThrow(`kind config ${wrongKind}: field "kind" must be "Cluster"`);
    const wrongApi = join(dir, 'api.yaml');
    writeFileSync(wrongApi, 'kind: Cluster\napiVersion: v1\n');
    await expect(create('ok', wrongApi)).rejects.toThrow(/field "apiVersion" must be "kind.x-k8s.io\/v1alpha4"/);
  });
});

const hasJq = (() => {
  try {
    execSync('command -v jq', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('runc-nosysres wrapper', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasJq)(`drops CAP_SYS_RESOURCE from the bundle and exec process spec, then runs the real runc${hasJq ? '' : ' (skipped: jq is not installed)'}`, () => {
    dir = mkdtempSync(join(tmpdir(), 'rollcall-runc-'));
    const fakeRunc = join(dir, 'runc');
    writeFileSync(fakeRunc, `#!/bin/sh\necho "real runc: $*"\n`);
    chmodSync(fakeRunc, 0o755);
    const wrapper = join(dir, 'wrapper');
    writeFileSync(wrapper, readFileSync(WRAPPER, 'utf8').replace('@REAL_RUNC@', fakeRunc));
    chmodSync(wrapper, 0o755);
    const caps = ['CAP_CHOWN', 'CAP_SYS_RESOURCE', 'CAP_SYS_ADMIN'];
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ process: { capabilities: { bounding: caps, effective: caps, permitted: caps } } }));
    const out = execFileSync(wrapper, ['--root', '/run/x', 'create', '--bundle', dir, 'c1'], { encoding: 'utf8' });
    expect(out.trim()).toBe(`real runc: --root /run/x create --bundle ${dir} c1`);
    const bundle = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { process: { capabilities: Record<string, string[]> } };
    expect(bundle.process.capabilities).toEqual({ bounding: ['CAP_CHOWN', 'CAP_SYS_ADMIN'], effective: ['CAP_CHOWN', 'CAP_SYS_ADMIN'], permitted: ['CAP_CHOWN', 'CAP_SYS_ADMIN'] });

    const proc = join(dir, 'process.json');
    writeFileSync(proc, JSON.stringify({ args: ['sh'], capabilities: { bounding: caps } }));
    execFileSync(wrapper, ['exec', `--process=${proc}`, 'c1'], { encoding: 'utf8' });
    expect(JSON.parse(readFileSync(proc, 'utf8'))).toEqual({ args: ['sh'], capabilities: { bounding: ['CAP_CHOWN', 'CAP_SYS_ADMIN'] } });
  });
});
