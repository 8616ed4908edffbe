import { describe, expect, it } from 'vitest';
import { parseTwin } from '../../../src/twin/parse-twin.js';
import { serializeTwin } from '../../../src/twin/serialize-twin.js';
import { UsageError } from '../../../src/util/errors.js';

const MINIMAL = `
apiVersion: rollcall.dev/v1alpha1
kind: ClusterTwin
metadata: {name: hand, capturedAt: 2025-06-01T12:00:00Z}
serverVersion: v1.36.3
nodes:
- name: gen-1
  labels: {pool: general}
  taints: [{key: dedicated, value: infra, effect: NoSchedule}]
  allocatable: {cpu: "4", memory: 16Gi}
  conditions: {Ready: "True"}
daemonSets:
- namespace: logging
  name: log-agent
  spec:
    selector: {matchLabels: {app: log-agent}}
    updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 25%}}
    template:
      metadata: {labels: {app: log-agent}}
      spec:
        containers: [{name: agent, image: agent:1, resources: {requests: {cpu: 100m}}}]
  pods:
  - {name: log-agent-a, node: gen-1, phase: Running, ready: true}
`;

// The one line a malformed twin gives.
function errorOf(text: string): string {
  try {
    parseTwin(text, 'twin.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('parsed without error');
}

describe('parseTwin', () => {
  it('reads a hand-written minimal twin, filling defaults', () => {
    const twin = parseTwin(MINIMAL, 'twin.yaml');
    expect(twin.nodes[0]).toEqual({
      name: 'gen-1', labels: { pool: 'general' }, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], unschedulable: false,
      capacity: {}, allocatable: { cpu: '4', memory: '16Gi' }, conditions: { Ready: 'True' },
    });
    expect(twin.daemonSets[0]!.generation).toBe(1);
    expect(twin.daemonSets[0]!.pods[0]).toEqual({ name: 'log-agent-a', node: 'gen-1', phase: 'Running', ready: true });
    expect(twin.podDisruptionBudgets).toEqual([]);
  });

  it('parses back what it serialises', () => {
    const twin = parseTwin(MINIMAL, 'twin.yaml');
    expect(parseTwin(serializeTwin(twin), 'again.yaml')).toEqual(twin);
  });

  it.each([
    [MINIMAL.replace('rollcall.dev/v1alpha1', 'rollcall.dev/v2'), 'twin.yaml: apiVersion: "rollcall.dev/v2" is not supported (this rollcall reads rollcall.dev/v1alpha1)'],
    [MINIMAL.replace('effect: NoSchedule', 'effect: NoSchedul'), 'twin.yaml: nodes[0].taints[0].effect: "NoSchedul" is not one of NoSchedule, PreferNoSchedule, NoExecute'],
    [MINIMAL.replace('cpu: "4"', 'cpu: four'), 'twin.yaml: nodes[0].allocatable.cpu: "four" is not a quantity (e.g. "4", 500m, 16Gi)'],
    [MINIMAL.replace('maxUnavailable: 25%', 'maxUnavailable: 25%, maxSurge: 1'), 'twin.yaml: daemonSets[0].spec.updateStrategy.rollingUpdate.maxSurge: 1 may not be set when maxUnavailable (25%) is non-zero'],
    [MINIMAL.replace('maxUnavailable: 25%', 'maxUnavailable: 120%'), 'twin.yaml: daemonSets[0].spec.updateStrategy.rollingUpdate.maxUnavailable: 120% must not be more than 100%'],
    [MINIMAL.replace('cpu: 100m', 'cpu: lots'), 'twin.yaml: daemonSets[0].spec.template.spec.containers[0].resources.requests.cpu: "lots" is not a quantity (e.g. 100m, 1.5, 256Mi)'],
    [MINIMAL.replace('phase: Running', 'phase: Runing'), 'twin.yaml: daemonSets[0].pods[0].phase: "Runing" is not one of Pending, Running, Succeeded, Failed, Unknown'],
    [MINIMAL.replace('{pool: general}', '{pool: true}'), 'twin.yaml: nodes[0].labels.pool: expected a string, got boolean true (quote it)'],
    [MINIMAL.replace('serverVersion: v1.36.3\n', ''), 'twin.yaml: serverVersion: required (a string)'],
    [MINIMAL.replace('  - {name: log-agent-a', '  - {name: [log-agent-a'), 'twin.yaml: line 23, column 66: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])'],
  ])('a malformed twin is one line naming the file and field (%#)', (text, message) => {
    const got = errorOf(text);
    expect(got.split('\n')).toHaveLength(1);
    expect(got.startsWith(message)).toBe(true);
  });

  it('refuses two nodes of one name', () => {
    const text = MINIMAL.replace('daemonSets:', '- {name: gen-1}\ndaemonSets:');
    expect(errorOf(text)).toBe('twin.yaml: nodes[1].name: node "gen-1" appears twice');
  });
});
