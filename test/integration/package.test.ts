// Done when: `npm pack` of this repo, installed into a fresh folder, gives a working `npx rollcall`
// (init, run) and shipped types that a user's `tsc` checks scenarios against.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testToolchain } from '../support/kwok-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A log agent as SREs ship it: its ServiceAccount, ConfigMap and RBAC in one file, in its own namespace. */
const BUNDLE = `apiVersion: v1
kind: ServiceAccount
metadata: {name: log-agent, namespace: logging}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: log-agent-config, namespace: logging}
data: {agent.conf: "level=info\\n"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: log-agent}
rules:
- apiGroups: [""]
  resources: [pods, namespaces]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: log-agent}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: log-agent}
subjects:
- {kind: ServiceAccount, name: log-agent, namespace: logging}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: logging}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      serviceAccountName: log-agent
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.10
        volumeMounts: [{name: config, mountPath: /etc/agent}]
      volumes:
      - {name: config, configMap: {name: log-agent-config}}
`;

/** The environment without npm's own variables, so nested npm calls behave as in a user's shell. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

function sh(cmd: string, args: string[], cwd: string) {
  return execa(cmd, args, { cwd, env: ENV, extendEnv: false, reject: false, all: true });
}

describe('rollcall as an installed package', () => {
  let app = '';
  const took: Record<string, string> = {};
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      took[what] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    }
  };

  beforeAll(async () => {
    const tmp = tempDir('rollcall-package-');
    // Packed from a copy of the checkout: prepack writes dist/ there, and the rollcall of the other test
    // files running meanwhile would start from a half-written dist/ in this one (bin.js prefers it).
    const checkout = join(tmp, 'checkout');
    cpSync(REPO, checkout, { recursive: true, filter: (src) => !/^(node_modules|\.git|reports|dist)$/.test(relative(REPO, src)) });
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
    const packed = await timed('npm pack', () => sh('npm', ['pack', '--pack-destination', tmp], checkout));
    expect(packed.exitCode, packed.all).toBe(0);
    const tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
    took['tarball'] = `${(statSync(tarball).size / 1024).toFixed(0)} kB`;
    expect(existsSync(join(checkout, 'dist')), 'postpack removes dist/ from the checkout').toBe(false);

    app = join(tmp, 'app');
    mkdirSync(app);
    expect((await sh('npm', ['init', '-y'], app)).exitCode).toBe(0);
    // No overrides: the user's package.json is npm's default, and rollcall must work on every supported Node with it.
    const installed = await timed('npm install', () => sh('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'typescript', '@types/node'], app));
    expect(installed.exitCode, installed.all).toBe(0);
    await testToolchain(); // built once into the cache, which the installed rollcall uses too
  }, 10 * 60_000);

  it('npx rollcall answers --version and --help, and plain Node imports it (ESM and require)', async () => {
    const version = await sh('npx', ['rollcall', '--version'], app);
    expect(version.stdout.trim(), version.all).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    const help = await sh('npx', ['rollcall', '--help'], app);
    expect(help.stdout).toMatch(/rollcall init \[dir\]/);
    const esm = await sh('node', ['--input-type=module', '-e', "import('rollcall').then((m) => console.log(typeof m.defineScenario))"], app);
    expect(esm.stdout.trim(), esm.all).toBe('function');
    const cjs = await sh('node', ['-e', "console.log(typeof require('rollcall').defineScenario)"], app);
    expect(cjs.stdout.trim(), cjs.all).toBe('function');
  });

  it('rollcall init --daemonset scaffolds a scenario for the bundle', async () => {
    mkdirSync(join(app, 'deploy'));
    writeFileSync(join(app, 'deploy/log-agent.yaml'), BUNDLE);
    const init = await timed('rollcall init', () => sh('npx', ['rollcall', 'init', '--daemonset', 'deploy/log-agent.yaml'], app));
    expect(init.exitCode, init.all).toBe(0);
    expect(init.stdout).toContain('wrote scenarios/log-agent.ts');
    expect(init.stdout).toMatch(/next:\n {2}npx rollcall run$/);
  });

  it('tsc --noEmit checks the scenario against the shipped types', async () => {
    const tsc = await timed('tsc --noEmit', () => sh('npx', ['tsc', '--noEmit'], app));
    expect(tsc.exitCode, tsc.all).toBe(0);
    writeFileSync(join(app, 'scenarios/typo.ts'), "import { defineScenario } from 'rollcall';\nexport default defineScenario({ name: 'x', cluster: { nodes: 'three' }, async run() {} });\n");
    const typo = await sh('npx', ['tsc', '--noEmit'], app);
    expect(typo.stdout).toMatch(/scenarios\/typo\.ts.*error TS2322/);
    rmSync(join(app, 'scenarios/typo.ts'));
  });

  it('rollcall run passes on the embedded cluster and writes reports/', async () => {
    const run = await timed('rollcall run', () => sh('npx', ['rollcall', 'run'], app));
    expect(run.exitCode, run.all).toBe(0);
    expect(existsSync(join(app, 'reports/latest/junit.xml'))).toBe(true);
    expect(readFileSync(join(app, 'reports/latest/junit.xml'), 'utf8')).toContain('log-agent covers every node');
  }, 10 * 60_000);

  afterAll(() => console.log(`package test: ${Object.entries(took).map(([k, v]) => `${k} ${v}`).join(', ')}`));
});
