// The example scenario `rollcall init` writes for a DaemonSet: coverage now, and on a node added later.

/** A single-quoted TypeScript string literal for `text`. */
export function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * The source of `scenarios/<name>.ts` for the DaemonSet `name`, whose manifest (a single DaemonSet
 * or a bundle with its ServiceAccount, ConfigMap and RBAC) is at `manifest`, relative to the scenario file.
 *
 * @example
 * scenarioSource('fluent-bit', '../deploy/fluent-bit.yaml');
 */
export function scenarioSource(name: string, manifest: string): string {
  return `// ${name}: every eligible node runs exactly one available pod, also a node added later.
// Run it with \`npx rollcall run\`. More actions (taints, node failures, bad images, rollouts): the rollcall README.
import { defineScenario } from 'rollcall';

export default defineScenario({
  name: ${tsString(`${name} covers every node`)},
  cluster: { nodes: 3 },
  async run(t) {
    const ds = await t.daemonSet(${tsString(manifest)}, { name: ${tsString(name)} });
    await t.step('every node runs exactly one available pod', () => ds.expectCoverage().within('2m'));

    await t.step('a node added later gets its pod', async () => {
      const added = await t.nodes.add(1);
      const covered = await ds.expectCoverage().within('2m');
      t.timing('node added -> daemon pod available', added, covered, { max: '60s' });
    });
  },
});
`;
}
