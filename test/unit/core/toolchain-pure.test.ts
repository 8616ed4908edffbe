import { describe, expect, it } from 'vitest';
import { parseKubernetesVersion } from '../../../src/toolchain/versions.js';
import { stagingModules } from '../../../src/toolchain/components.js';
import { cacheLayout, cacheRoot } from '../../../src/toolchain/cache-dir.js';

describe('toolchain (pure parts)', () => {
  it('parses Kubernetes versions and derives the staging module version', () => {
    expect(parseKubernetesVersion('v1.36.3')).toEqual({ version: '1.36.3', minor: 36, staging: 'v0.36.3' });
    expect(parseKubernetesVersion('1.35.4').staging).toBe('v0.35.4');
    for (const bad of ['latest', '1.36', '2.0.0', 'v1.36.3-rc.1']) expect(() => parseKubernetesVersion(bad)).toThrow(/not a Kubernetes release version/);
  });

  it('reads the staging replaces from a k8s.io/kubernetes go.mod', () => {
    const goMod = `module k8s.io/kubernetes\n\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/client-go => ./staging/src/k8s.io/client-go\n\tgithub.com/x/y => github.com/x/y v1.0.0\n)\n`;
    expect(stagingModules(goMod)).toEqual(['k8s.io/api', 'k8s.io/client-go']);
  });

  it('keeps the cache outside the repo, per version, overridable', () => {
    expect(cacheRoot({ ROLLCALL_CACHE: '/c' })).toBe('/c');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' })).toBe('/x/rollcall');
    const l = cacheLayout('/c');
    expect(l.kubernetes('1.36.3')).toBe('/c/kubernetes/v1.36.3');
    expect(l.kubernetes('1.35.4')).not.toBe(l.kubernetes('1.36.3'));
  });
});
