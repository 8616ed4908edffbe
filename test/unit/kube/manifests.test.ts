import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1ClusterRoleBinding, V1RoleBinding } from '@kubernetes/client-node';
import { loadManifests, pickDaemonSet, placeObject } from '../../../src/kube/manifests.js';
import { tempDir } from '../../support/temp-dir.js';

const ds = (name: string): KubernetesObject => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'logging' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
} as KubernetesObject);
const sa: KubernetesObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'agent', namespace: 'logging' } };

describe('pickDaemonSet', () => {
  it('picks the only DaemonSet and returns the rest of the bundle as its companions', () => {
    const { daemonSet, companions } = pickDaemonSet([sa, ds('agent')], undefined, 'f.yaml');
    expect(daemonSet.metadata?.name).toBe('agent');
    expect(companions).toEqual([sa]);
  });

  it('picks by name among several, leaving the other DaemonSets out of the companions', () => {
    const { daemonSet, companions } = pickDaemonSet([ds('a'), sa, ds('b')], 'b', 'f.yaml');
    expect(daemonSet.metadata?.name).toBe('b');
    expect(companions).toEqual([sa]);
  });

  it('names the DaemonSets when the choice is ambiguous or the name is wrong', () => {
    expect(() => pickDaemonSet([ds('a'), ds('b')], undefined, 'f.yaml')).toThrow('f.yaml: the file has 2 DaemonSets (a, b): say which with { name }');
    expect(() => pickDaemonSet([ds('a'), ds('b')], 'c', 'f.yaml')).toThrow('f.yaml: name: no DaemonSet "c" in the file (DaemonSets: a, b)');
    expect(() => pickDaemonSet([sa], undefined, 'f.yaml')).toThrow('f.yaml: no DaemonSet in the file (found ServiceAccount agent)');
  });

  it('checks the picked DaemonSet, naming it and the field', () => {
    const bad = ds('a') as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    bad.spec.template.metadata.labels = { app: 'other' };
    expect(() => pickDaemonSet([bad as KubernetesObject], 'a', 'f.yaml')).toThrow('f.yaml: DaemonSet a: spec.selector.matchLabels app=a does not match spec.template.metadata.labels');
  });
});

describe('placeObject', () => {
  it('moves namespaced objects into the scenario namespace and strips server-set fields', () => {
    const placed = placeObject({ ...sa, metadata: { ...sa.metadata, resourceVersion: '12', uid: 'u' } }, 'rc-x', true);
    expect(placed.metadata).toEqual({ name: 'agent', namespace: 'rc-x' });
    expect(sa.metadata?.namespace).toBe('logging');
  });

  it('keeps cluster-scoped objects without a namespace and rebinds ServiceAccount subjects to the scenario namespace', () => {
    const crb: V1ClusterRoleBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'read', namespace: 'stray' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'read' },
      subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'logging' }, { kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    const placed = placeObject(crb as KubernetesObject, 'rc-x', false) as V1ClusterRoleBinding;
    expect(placed.metadata?.namespace).toBeUndefined();
    expect(placed.subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'rc-x' }, { kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }]);
    const rb = placeObject({ ...crb, kind: 'RoleBinding' } as KubernetesObject, 'rc-x', true) as V1RoleBinding;
    expect(rb.metadata?.namespace).toBe('rc-x');
    expect(rb.subjects?.[0]?.namespace).toBe('rc-x');
  });
});

describe('loadManifests', () => {
  it('reads every document of a helm-template style file, skipping empty ones and flattening Lists', () => {
    const dir = tempDir();
    const file = join(dir, 'bundle.yaml');
    writeFileSync(file, '---\n# Source: chart/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n');
    expect(loadManifests('bundle.yaml', dir).objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['ServiceAccount/a', 'ConfigMap/b']);
  });

  it('names the file and the document or field that is wrong', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Secret\nmetadata: {name: b}\n');
    expect(() => loadManifests('bad.yaml', dir, 's.ts: bad.yaml')).toThrow('s.ts: bad.yaml: object 2: apiVersion is missing');
    writeFileSync(join(dir, 'broken.yaml'), 'a: [1, 2\n');
    expect(() => loadManifests('broken.yaml', dir, 'broken.yaml')).toThrow(/^broken\.yaml: document 1 is not valid YAML: /);
    expect(() => loadManifests('missing.yaml', dir, 'missing.yaml')).toThrow(/^missing\.yaml: manifest file not found/);
  });
});
