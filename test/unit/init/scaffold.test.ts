// What `rollcall init` would write, checked as plain data: paths, what the scenario points at, and valid config.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { partitionExisting, scaffoldFiles } from '../../../src/init/scaffold.js';
import { validateDaemonSet } from '../../../src/kube/manifests.js';

const paths = (files: { path: string }[]) => files.map((f) => f.path);
const content = (files: { path: string; content: string }[], path: string) => files.find((f) => f.path === path)!.content;

describe('scaffoldFiles', () => {
  it('without DaemonSets of the user: the example DaemonSet, its scenario, tsconfig.json, the workflow', () => {
    const files = scaffoldFiles({ daemonSets: [], packageType: 'module' });
    expect(paths(files)).toEqual(['scenarios/example-agent.ts', 'manifests/example-daemonset.yaml', 'tsconfig.json', '.github/workflows/rollcall.yml']);
    const scenario = content(files, 'scenarios/example-agent.ts');
    expect(scenario).toContain("import { defineScenario } from 'rollcall';");
    expect(scenario).toContain("t.daemonSet('../manifests/example-daemonset.yaml', { name: 'example-agent' })");
    expect(scenario).toContain("name: 'example-agent covers every node'");
  });

  it('the example manifest is one valid DaemonSet with an image kwok never pulls', () => {
    const docs = parseAllDocuments(content(scaffoldFiles({ daemonSets: [] }), 'manifests/example-daemonset.yaml')).map((d) => d.toJS() as KubernetesObject);
    expect(docs).toHaveLength(1);
    const ds = validateDaemonSet(docs[0]!, 'example');
    expect(ds.metadata?.name).toBe('example-agent');
    expect(ds.spec?.template.spec?.containers[0]?.image).toBe('registry.k8s.io/pause:3.10');
  });

  it("one scenario per DaemonSet of the user's, naming the manifest relative to scenarios/", () => {
    const files = scaffoldFiles({
      daemonSets: [{ name: 'fluent-bit', manifest: 'deploy/logging/bundle.yaml' }, { name: 'node-exporter', manifest: 'deploy/logging/bundle.yaml' }],
      packageType: 'module',
    });
    expect(paths(files)).toEqual(['scenarios/fluent-bit.ts', 'scenarios/node-exporter.ts', 'tsconfig.json', '.github/workflows/rollcall.yml']);
    expect(content(files, 'scenarios/node-exporter.ts')).toContain("t.daemonSet('../deploy/logging/bundle.yaml', { name: 'node-exporter' })");
  });

  it('a manifest outside the folder, or absolute, is still named so the scenario finds it', () => {
    const [outside] = scaffoldFiles({ daemonSets: [{ name: 'a', manifest: '../shared/a.yaml' }] });
    expect(outside!.content).toContain("t.daemonSet('../../shared/a.yaml'");
    const [absolute] = scaffoldFiles({ daemonSets: [{ name: 'b', manifest: '/srv/k8s/b.yaml' }] });
    expect(absolute!.content).toContain("t.daemonSet('/srv/k8s/b.yaml'");
  });

  it.each([undefined, 'commonjs'])('package type %s: scenarios/package.json makes the scenarios ES modules', (packageType) => {
    const files = scaffoldFiles({ daemonSets: [], packageType });
    expect(JSON.parse(content(files, 'scenarios/package.json'))).toEqual({ type: 'module' });
  });

  it('quotes in a manifest path cannot break the scenario source', () => {
    const [file] = scaffoldFiles({ daemonSets: [{ name: 'agent', manifest: "it's/agent.yaml" }] });
    expect(file!.content).toContain("t.daemonSet('../it\\'s/agent.yaml'");
  });

  it('tsconfig.json type-checks scenarios/ with NodeNext and emits nothing', () => {
    const tsconfig = JSON.parse(content(scaffoldFiles({ daemonSets: [] }), 'tsconfig.json'));
    expect(tsconfig).toMatchObject({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true },
      include: ['scenarios'],
    });
  });
});

describe('the CI workflow', () => {
  interface Step { uses?: string; run?: string; if?: string; with?: Record<string, string> }
  const workflow = parse(content(scaffoldFiles({ daemonSets: [] }), '.github/workflows/rollcall.yml')) as {
    on: { schedule: { cron: string }[]; workflow_dispatch: unknown };
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const uses = (action: string) => steps.filter((s) => s.uses?.startsWith(`${action}@`));

  it('runs nightly and on demand', () => {
    expect(workflow.on.schedule[0]!.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect('workflow_dispatch' in workflow.on).toBe(true);
  });

  it('installs, caches the toolchain per rollcall version (Go only on a miss), and runs rollcall', () => {
    expect(uses('actions/setup-node')).toHaveLength(1);
    expect(steps.some((s) => s.run === 'npm ci || npm install')).toBe(true);
    const [toolchain, goCaches] = uses('actions/cache');
    expect(toolchain!.with!.path).toBe('~/.cache/rollcall');
    expect(toolchain!.with!.key).toContain('${{ steps.rollcall.outputs.version }}');
    expect(goCaches!.with!.path).toContain('~/go/pkg/mod');
    expect(uses('actions/setup-go')[0]!.if).toBe("steps.toolchain.outputs.cache-hit != 'true'");
    expect(steps.map((s) => s.run)).toContain('npx rollcall run');
  });

  it('keeps reports/ and publishes the JUnit file even when scenarios fail', () => {
    const artifact = uses('actions/upload-artifact')[0]!;
    expect(artifact).toMatchObject({ if: 'always()', with: { path: 'reports/' } });
    const junit = uses('mikepenz/action-junit-report')[0]!;
    expect(junit).toMatchObject({ if: 'always()', with: { report_paths: 'reports/latest/junit.xml' } });
  });
});

describe('partitionExisting', () => {
  it('never writes a file that exists', () => {
    const files = scaffoldFiles({ daemonSets: [], packageType: 'module' });
    const { write, existing } = partitionExisting(files, (p) => p === 'tsconfig.json');
    expect(existing).toEqual(['tsconfig.json']);
    expect(paths(write)).not.toContain('tsconfig.json');
    expect(write).toHaveLength(files.length - 1);
  });
});
