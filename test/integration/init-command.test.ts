// `rollcall init` on real folders: what it writes, that it never overwrites, and one-line errors for a bad --daemonset.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

function init(cwd: string, args: string[] = []) {
  return execa('node', [BIN, 'init', ...args], { cwd, reject: false, all: true });
}

/** A minimal DaemonSet document called `name`. */
const daemonSet = (name: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: a, image: busybox}]}
`;

const BUNDLE = ['apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: agents}\n', daemonSet('log-agent'), daemonSet('node-agent')].join('---\n');

describe('rollcall init', () => {
  it('scaffolds an example into an empty folder, then leaves every file alone on a second run', async () => {
    const dir = tempDir();
    const first = await init(dir);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toContain('wrote scenarios/example-agent.ts');
    expect(first.stdout).toMatch(/next:\n {2}npm install --save-dev rollcall\n {2}npx rollcall run/);
    for (const f of ['scenarios/example-agent.ts', 'scenarios/package.json', 'manifests/example-daemonset.yaml', 'tsconfig.json', '.github/workflows/rollcall.yml']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    writeFileSync(join(dir, 'scenarios/example-agent.ts'), '// mine\n');
    const second = await init(dir);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/^nothing written: every file init would write exists already \(scenarios\/example-agent\.ts, /);
    expect(readFileSync(join(dir, 'scenarios/example-agent.ts'), 'utf8')).toBe('// mine\n');
  });

  it("--daemonset with a bundle of two DaemonSets: one scenario each; an existing tsconfig.json is kept and named", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy/agents.yaml'), BUNDLE);
    writeFileSync(join(dir, 'tsconfig.json'), '{"compilerOptions":{}}\n');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', devDependencies: { rollcall: '^0.1.0' } }));
    const r = await init(dir, ['--daemonset', 'deploy/agents.yaml']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('deploy/agents.yaml has 2 DaemonSets (log-agent, node-agent): one scenario each');
    expect(r.stdout).toContain('exists, left alone: tsconfig.json');
    expect(r.stdout).toMatch(/next:\n {2}npx rollcall run$/);
    expect(readdirSync(join(dir, 'scenarios')).sort()).toEqual(['log-agent.ts', 'node-agent.ts']);
    expect(readFileSync(join(dir, 'scenarios/node-agent.ts'), 'utf8')).toContain("t.daemonSet('../deploy/agents.yaml', { name: 'node-agent' })");
    expect(existsSync(join(dir, 'manifests'))).toBe(false);
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe('{"compilerOptions":{}}\n');
  });

  it('init DIR from elsewhere creates the folder and says to cd there', async () => {
    const cwd = tempDir();
    const r = await init(cwd, ['infra/rollcall']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('wrote infra/rollcall/scenarios/example-agent.ts');
    expect(r.stdout).toContain('  cd infra/rollcall\n');
    expect(existsSync(join(cwd, 'infra/rollcall/.github/workflows/rollcall.yml'))).toBe(true);
  });

  it.each([
    ['a missing file', null, /^rollcall: error: nope\.yaml: manifest file not found/],
    ['a file without a DaemonSet', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', /^rollcall: error: nope\.yaml: no DaemonSet in the file \(found ConfigMap c\)$/],
    ['a file that is not YAML', 'kind: [DaemonSet\n', /^rollcall: error: nope\.yaml: document 1 is not valid YAML/],
  ])('--daemonset naming %s: exit 2, one line naming the file, nothing written', async (_what, text, message) => {
    const dir = tempDir();
    if (text !== null) writeFileSync(join(dir, 'nope.yaml'), text);
    const r = await init(dir, ['--daemonset', 'nope.yaml']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(text === null ? [] : ['nope.yaml']);
  });
});
