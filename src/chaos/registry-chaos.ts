// Registry chaos (`t.registry`): take the registry the nodes pull from away mid-rollout and bring it
// back. Only on providers that run one (kind); elsewhere the scenario is skipped with the reason.
import { requireCapability } from '../providers/capabilities.js';
import type { ClusterRegistry } from '../providers/cluster.js';
import { withUndo, type Act, type ActionRecord, type ChaosRuntime } from './chaos-runtime.js';

/**
 * The cluster's image registry, as a scenario sees it. Declare `requires: ['registry-outage']`.
 *
 * @example
 * const image = await t.registry.freshImage();   // never pulled by any node yet
 * await ds.setImage(image);
 * await t.registry.cut();                         // pulls fail: connection refused
 * await ds.expectRolloutHalted().within('90s');
 * await t.registry.restore();
 * await ds.expectRolloutComplete().within('5m');
 */
export class RegistryChaos {
  constructor(private readonly rt: ChaosRuntime, private readonly act: Act) {}

  /** The workload image under a new tag in the registry: every node that runs it pulls it for real. */
  async freshImage(): Promise<string> {
    return this.registry('serve images from a registry').freshImage();
  }

  /** Makes the registry unreachable for the nodes until `restore()` (the undo restores it too). */
  async cut(): Promise<ActionRecord> {
    const registry = this.registry('stop its registry');
    return this.act('registry.cut', 'registry unreachable (connections refused)', () =>
      withUndo(this.rt.undo, 'restore the registry', () => registry.restore(), async () => {
        await registry.cut();
        return {};
      }),
    );
  }

  /** Serves again. */
  async restore(): Promise<ActionRecord> {
    const registry = this.registry('restore its registry');
    return this.act('registry.restore', 'registry reachable again', async () => {
      await registry.restore();
      return {};
    });
  }

  private registry(action: string): ClusterRegistry {
    const c = this.rt.cluster;
    requireCapability(c.provider, c.capabilities, 'registry-outage', action);
    if (!c.registry) throw new Error(`provider ${c.provider} says it has a registry but the cluster has none`);
    return c.registry;
  }
}
