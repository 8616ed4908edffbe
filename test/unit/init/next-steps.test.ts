// What init tells the user to run next, and which DaemonSets of a manifest it scaffolds for.
import { describe, expect, it } from 'vitest';
import { listsRollcall, nextSteps } from '../../../src/init/next-steps.js';
import { daemonSetNames } from '../../../src/init/daemon-set-names.js';

describe('nextSteps', () => {
  it('without rollcall in package.json (or without a package.json): install it, then run', () => {
    expect(nextSteps({ relativeDir: '' })).toEqual(['npm install --save-dev rollcall', 'npx rollcall run']);
    expect(nextSteps({ relativeDir: '', packageJson: { dependencies: { yaml: '^2' } } })).toEqual(['npm install --save-dev rollcall', 'npx rollcall run']);
  });

  it('with rollcall listed: just run', () => {
    expect(nextSteps({ relativeDir: '.', packageJson: { devDependencies: { rollcall: 'file:rollcall-0.1.0.tgz' } } })).toEqual(['npx rollcall run']);
    expect(listsRollcall({ dependencies: { rollcall: '^0.1.0' } })).toBe(true);
  });

  it('for another folder: cd there first, quoted when the shell needs it', () => {
    expect(nextSteps({ relativeDir: 'infra/rollcall', packageJson: { devDependencies: { rollcall: '*' } } })).toEqual(['cd infra/rollcall', 'npx rollcall run']);
    expect(nextSteps({ relativeDir: "my repo's", packageJson: { devDependencies: { rollcall: '*' } } })[0]).toBe("cd 'my repo'\\''s'");
  });
});

describe('daemonSetNames', () => {
  it('picks the DaemonSets of a bundle, in file order, each once', () => {
    const objects = [
      { kind: 'ServiceAccount', metadata: { name: 'fluent-bit' } },
      { kind: 'DaemonSet', metadata: { name: 'fluent-bit' } },
      { kind: 'ConfigMap', metadata: { name: 'fluent-bit-config' } },
      { kind: 'DaemonSet', metadata: { name: 'node-exporter' } },
      { kind: 'DaemonSet', metadata: { name: 'fluent-bit' } },
    ];
    expect(daemonSetNames(objects)).toEqual(['fluent-bit', 'node-exporter']);
    expect(daemonSetNames([{ kind: 'Deployment', metadata: { name: 'web' } }])).toEqual([]);
  });
});
