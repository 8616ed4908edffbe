import { describe, expect, it } from 'vitest';
import { kwokNodeManifest } from '../../../src/providers/kwok/node-manifest.js';

describe('kwokNodeManifest', () => {
  it('carries capacity and allocatable into the status kwok reports, allocatable defaulting to capacity', () => {
    expect(kwokNodeManifest({ name: 'a', capacity: { cpu: '4', memory: '16Gi' }, allocatable: { cpu: '3500m', memory: '14Gi' } }).status)
      .toEqual({ capacity: { cpu: '4', memory: '16Gi' }, allocatable: { cpu: '3500m', memory: '14Gi' } });
    expect(kwokNodeManifest({ name: 'b', capacity: { cpu: '2' } }).status).toEqual({ capacity: { cpu: '2' }, allocatable: { cpu: '2' } });
    expect(kwokNodeManifest({ name: 'c', labels: { pool: 'x' } })).not.toHaveProperty('status');
  });
});
