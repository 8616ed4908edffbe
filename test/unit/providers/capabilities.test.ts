// What each provider can do, and how a scenario's `requires` is checked against it.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, MissingCapabilities, unmetRequirements } from '../../../src/providers/capabilities.js';
import { KWOK_CAPABILITIES } from '../../../src/providers/kwok/kwok-cluster.js';
import { KIND_CAPABILITIES, kindBadImage } from '../../../src/providers/kind/kind-capabilities.js';
import { EXISTING_CAPABILITIES } from '../../../src/providers/existing/existing-cluster.js';
import { CapabilityError, UsageError } from '../../../src/util/errors.js';

describe('capabilities', () => {
  it('every provider says, for each capability, yes or why not', () => {
    for (const set of [KWOK_CAPABILITIES, KIND_CAPABILITIES, EXISTING_CAPABILITIES]) {
      expect(Object.keys(set).sort()).toEqual([...CAPABILITIES].sort());
      for (const v of Object.values(set)) expect(v === true || (typeof v === 'string' && v.length > 10)).toBe(true);
    }
    expect(EXISTING_CAPABILITIES['node-add']).toMatch(/only changes machines of clusters it created/);
    expect(KWOK_CAPABILITIES['registry-outage']).toMatch(/pull no images/);
  });

  it('lists what a scenario needs and the provider lacks, with the reasons', () => {
    expect(unmetRequirements(undefined, EXISTING_CAPABILITIES, 's.ts')).toEqual([]);
    expect(unmetRequirements(['pull-error'], EXISTING_CAPABILITIES, 's.ts')).toEqual([]);
    const unmet = unmetRequirements(['node-add', 'pull-error', 'node-fail'], EXISTING_CAPABILITIES, 's.ts');
    expect(unmet.map((u) => u.capability)).toEqual(['node-add', 'node-fail']);
    const err = new MissingCapabilities('existing', unmet);
    expect(err).toBeInstanceOf(CapabilityError);
    expect(err.message).toMatch(/^needs node-add \(provider existing lacks it: rollcall only changes machines/);
  });

  it('refuses an unknown capability naming the file and field', () => {
    expect(() => unmetRequirements(['node-teleport'], KWOK_CAPABILITIES, 'scenarios/x.ts')).toThrow(UsageError);
    expect(() => unmetRequirements(['node-teleport'], KWOK_CAPABILITIES, 'scenarios/x.ts')).toThrow('scenarios/x.ts: field "requires": "node-teleport" is not one of node-add');
    expect(() => unmetRequirements('node-add', KWOK_CAPABILITIES, 'scenarios/x.ts')).toThrow('scenarios/x.ts: field "requires" must be a list');
  });

  it('kind pushes never-ready only into a container with a readiness probe, and says why otherwise', () => {
    const images = { crashLoop: 'rollcall.local/crash-loop:a', neverReady: 'rollcall.local/never-ready:b' };
    const probed = { name: 'c', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } };
    expect(kindBadImage('never-ready', images, undefined, probed)).toBe('rollcall.local/never-ready:b');
    expect(kindBadImage('crash-loop', images, undefined, probed)).toBe('rollcall.local/crash-loop:a');
    expect(() => kindBadImage('never-ready', images, undefined, { name: 'c', image: 'busybox' })).toThrow(CapabilityError);
    expect(() => kindBadImage('never-ready', images, undefined, { name: 'c', image: 'busybox' })).toThrow(/container c: it has no readinessProbe/);
    const registry = { missingTagImage: 'r:5000/x:none', authRequiredImage: 'a:5000/x:1', slowImage: 's:5001/x:1' };
    expect(['missing-tag', 'auth-required', 'slow-registry'].map((k) => kindBadImage(k as never, images, registry))).toEqual(['r:5000/x:none', 'a:5000/x:1', 's:5001/x:1']);
  });
});
