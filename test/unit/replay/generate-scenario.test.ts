import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { literal } from '../../../src/replay/code-literal.js';
import { generateScenario } from '../../../src/replay/generate-scenario.js';
import { importSpecifier } from '../../../src/replay/import-specifier.js';
import { planReplay } from '../../../src/replay/replay-plan.js';
import { PACKAGE_ROOT } from '../../../src/util/package-root.js';
import { tempDir } from '../../support/temp-dir.js';
import { DS, NS, node, pod, recording, replacePod, spec, twin } from './fixtures.js';

const rec = recording(twin(['w1', 'w2', 'w3']), [
  { t: 10_000, op: 'put', kind: 'Node', obj: node('w1', { labels: { 'kubernetes.io/hostname': 'w1', pool: 'edge' }, taints: [{ key: 'dedicated', value: 'edge', effect: 'NoExecute' }] }) },
  ...replacePod(10_010, 'w1', 'agent-w1', 'agent-n1', 100_000),
  { t: 20_000, op: 'put', kind: 'Node', obj: node('w2', { conditions: { Ready: 'False' } }) },
  { t: 30_000, op: 'put', kind: 'DaemonSet', obj: { namespace: NS, name: DS, generation: 2, spec: spec("it's:broken") } },
  { t: 30_100, op: 'put', kind: 'Pod', obj: pod('agent-x', 'w3', { revisionHash: 'h2', phase: 'Pending', ready: false, reason: 'ErrImagePull' }) },
]);

describe('generateScenario', () => {
  const plan = planReplay(rec, { speed: 5, tolerance: { ms: 5000, ratio: 0.1 } });
  const text = generateScenario(plan, { recordingFile: 'incident.rec', header: rec.header, importFrom: 'rollcall', command: 'rollcall replay incident.rec --speed 5' });

  it('is valid TypeScript importing the API from the given specifier', () => {
    const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    expect(out.diagnostics).toEqual([]);
    expect(text).toContain("import { defineScenario, IncidentReplay, type RecordedOutcomes } from 'rollcall';");
  });

  it('starts from the recorded state and replays one step per cause group at its offset divided by the speed', () => {
    expect(plan.origin).toBe(5000);
    expect(text).toContain("cluster: { nodes: [{ name: 'w1' }, { name: 'w2' }, { name: 'w3' }] }");
    expect(text).toContain("requires: ['node-fail', 'pull-error'],");
    const steps = [...text.matchAll(/await t\.step\('([^']*)'/g)].map((m) => m[1]);
    expect(steps).toEqual([
      'starting state: every node covered, as recorded',
      '+5.0s: label w1 pool=edge; taint w1 dedicated=edge:NoExecute',
      '+15.0s: w2 goes NotReady',
      '+25.0s: bad image (pull-error: it\\',
      'outcomes as recorded',
    ]);
    expect(text).toContain("await ds.badImage('pull-error', 'main'); // recorded image: it's:broken");
    expect(text.match(/await incident\.at\((\d)\);/g)).toEqual(['await incident.at(0);', 'await incident.at(1);', 'await incident.at(2);']);
    expect(text).toContain('speed: 5,');
  });

  it('applies a manifest instead of the recorded spec when asked', () => {
    const withManifest = generateScenario(plan, { recordingFile: 'incident.rec', header: rec.header, importFrom: 'rollcall', command: 'x', manifest: '../manifests/agent.yaml' });
    expect(withManifest).toContain("const ds = await t.daemonSet('../manifests/agent.yaml', { name: 'agent' });");
    expect(withManifest).toContain('// Note: the DaemonSet comes from ../manifests/agent.yaml, not the recorded starting spec.');
  });
});

describe('importSpecifier', () => {
  it("is a relative path to src/index.js inside this checkout, and 'rollcall' elsewhere", () => {
    const scenarios = join(PACKAGE_ROOT, 'scenarios', 'incident-x.ts');
    expect(importSpecifier(scenarios)).toBe('../src/index.js');
    const elsewhere = tempDir();
    mkdirSync(join(elsewhere, 'scenarios'));
    expect(importSpecifier(join(elsewhere, 'scenarios', 'incident-x.ts'))).toBe('rollcall');
  });
});

describe('literal', () => {
  it('prints readable code: bare keys where possible, quotes escaped, long values over several lines', () => {
    expect(literal({ name: 'a', 'kubernetes.io/os': "it's", n: [1, null] })).toBe("{ name: 'a', 'kubernetes.io/os': 'it\\'s', n: [1, null] }");
    expect(literal({ long: 'x'.repeat(120) })).toBe(`{\n  long: '${'x'.repeat(120)}',\n}`);
  });
});
