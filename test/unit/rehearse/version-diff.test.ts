import { describe, expect, it } from 'vitest';
import type { DaemonSetRehearsal, DaemonSetRun, StepOutcome } from '../../../src/rehearse/rehearsal-model.js';
import { timingsDiffer, versionDiff } from '../../../src/rehearse/version-diff.js';
import { daemonSetRun, normalizeEvent } from '../../../src/rehearse/step-outcomes.js';
import { BATTERY } from '../../../src/rehearse/battery/rehearsal-scenario.js';
import type { ScenarioReport } from '../../../src/report/report-model.js';

const step = (verdict: StepOutcome['verdict'], timings: Array<[string, number]> = []): StepOutcome => ({ verdict, durationMs: 1, timings: timings.map(([name, ms]) => ({ name, ms })), notes: [] });
const run = (steps: Record<string, StepOutcome>, events: string[] = [], staleReads = 0): DaemonSetRun => ({ verdict: 'passed', detail: '#', durationMs: 1, steps, events, staleReads });
const row = (a: DaemonSetRun, b: DaemonSetRun): DaemonSetRehearsal => ({ id: 'ops/agent', strategy: 'RollingUpdate', prediction: [], findings: [], runs: { 'v1.36.3': a, 'v1.35.4': b } });

describe('versionDiff', () => {
  it('timings differ only beyond 5 s and 50 % of the faster', () => {
    expect(timingsDiffer(1000, 5900)).toBe(false); // 4.9 s apart
    expect(timingsDiffer(20_000, 26_000)).toBe(false); // 6 s but 30 %
    expect(timingsDiffer(10_000, 16_000)).toBe(true);
    expect(timingsDiffer(90_000, 3000)).toBe(true);
  });

  it('names verdict changes, slow timings, events and stale-cache lines seen on one version only', () => {
    const a = run({ coverage: step('passed', [['applied -> covered', 90_000]]), 'rolling-update': step('failed') }, ['Normal SuccessfulCreate: Created pod: <pod>', 'Warning FailedDaemonPod: x'], 12);
    const b = run({ coverage: step('passed', [['applied -> covered', 3000]]), 'rolling-update': step('passed') }, ['Normal SuccessfulCreate: Created pod: <pod>']);
    expect(versionDiff([row(a, b)], 'v1.36.3', 'v1.35.4').map((d) => `${d.step ?? '-'} ${d.kind}: ${d.message}`)).toEqual([
      'coverage timing: applied -> covered: 90.0 s on v1.36.3, 3.0 s on v1.35.4',
      'rolling-update verdict: v1.36.3: failed; v1.35.4: passed',
      '- event: only on v1.36.3: Warning FailedDaemonPod: x',
      '- controller-log: kube-controller-manager refused to sync on a stale cache ("read version ... is not as new as written version"): 12 log lines on v1.36.3, 0 on v1.35.4',
    ]);
    expect(versionDiff([row(b, b)], 'v1.36.3', 'v1.35.4')).toEqual([]);
  });
});

describe('daemonSetRun', () => {
  const report = {
    name: 'rehearse ops/agent on v1.36.3', namespace: 'rc-rehearse-ab12', verdict: 'failed', durationMs: 5000, error: '1 step(s) failed',
    steps: [{ name: BATTERY[0]!.title, verdict: 'passed', startMs: 0, endMs: 1500 }, { name: BATTERY[1]!.title, verdict: 'failed', startMs: 1500, endMs: 2000, error: 'surge pod unschedulable' }],
    timings: [{ name: 'applied -> coverage as predicted', ms: 700.4, verdict: 'passed', from: '', to: '' }],
    assertions: [{ name: 'x', step: BATTERY[0]!.title, verdict: 'passed', expected: '', observed: '', atMs: 1, problems: [], nodes: [
      { node: 'gen-1', expected: 'runs (eligible)', observed: 'pod agent-abcde Running, Ready (revision 1)', ok: true },
      { node: 'gpu-1', expected: 'no pod (taint nvidia.com/gpu=present:NoSchedule not tolerated)', observed: 'no daemon pod', ok: true },
    ] }],
    events: [{ atMs: 1, type: 'Normal', reason: 'Scheduled', object: 'Pod/agent-abcde', message: 'Successfully assigned rc-rehearse-ab12/agent-abcde to gen-1', count: 1 }],
    finalNodes: [{ node: 'gen-1-next', ready: 'True', taints: [], unschedulable: false, pods: [] }],
  } as unknown as ScenarioReport;
  const records = new Map([['coverage', { timings: ['applied -> coverage as predicted'], notes: [] }]]);
  const r = daemonSetRun(report, BATTERY, records, { daemonSet: 'agent', nodes: ['gen-1', 'gpu-1', 'gen-1-next'], detail: 'runs/v1.36.3/index.html#scenario-0', staleReads: 0 });

  it('reads per step the verdict, reason, timings and the nodes left uncovered', () => {
    expect(r.steps.coverage).toEqual({ verdict: 'passed', durationMs: 1500, timings: [{ name: 'applied -> coverage as predicted', ms: 700 }], notes: [], uncovered: [{ node: 'gpu-1', observed: 'taint nvidia.com/gpu=present:NoSchedule not tolerated' }] });
    expect(r.steps['rolling-update']).toMatchObject({ verdict: 'failed', reason: 'surge pod unschedulable' });
    expect(r.steps.rotation).toMatchObject({ verdict: 'skipped', reason: '1 step(s) failed' });
  });

  it('events compare across runs: pod, node, namespace names and numbers replaced', () => {
    expect(r.events).toEqual(['Normal Scheduled: Successfully assigned <ns>/<pod> to <node>']);
    expect(normalizeEvent({ type: 'Warning', reason: 'FailedCreate', message: 'pods "agent-x1y2z" is forbidden: exceeded quota 3' }, { daemonSet: 'agent', namespace: 'ns', nodes: [] }))
      .toBe('Warning FailedCreate: pods "<pod>" is forbidden: exceeded quota N');
  });
});
