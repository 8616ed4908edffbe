// The authoring entry point: `export default defineScenario({...})` in a scenarios/*.ts file.
import type { Capability } from '../providers/capabilities.js';
import type { NodeSpec } from '../providers/cluster.js';
import type { Duration } from '../util/duration.js';
import type { ScenarioContext } from './scenario-context.js';

const BRAND = Symbol.for('rollcall.scenario');

export interface ScenarioDefinition {
  /** Unique, human name; shown in progress output and reports. */
  name: string;
  description?: string;
  tags?: string[];
  /**
   * The throwaway cluster this scenario needs: a node count, each node spelled out, or a kind
   * config (`config: '../kind-configs/worker-pools.yaml'`, relative to the scenario file) used as
   * is on kind and emulated node for node (names, roles, labels, taints) on kwok.
   */
  cluster: ScenarioCluster;
  /**
   * Abilities the scenario needs (`['node-fail', 'never-ready']`): on a provider that lacks one,
   * it is reported skipped with the reason instead of failing half-way.
   */
  requires?: Capability[];
  /** Upper bound for the whole scenario (default 5m). */
  timeout?: Duration;
  /** The body: act on the cluster through `t` and assert what the DaemonSet controller does. */
  run(t: ScenarioContext): Promise<void>;
}

/** Where a scenario's nodes come from: `nodes`, or a kind config file (`config`), not both. */
export interface ScenarioCluster {
  nodes?: number | NodeSpec[];
  config?: string;
}

export interface Scenario extends ScenarioDefinition {
  readonly [BRAND]: true;
}

/**
 * Declares a scenario. Default-export the result.
 *
 * @example
 * export default defineScenario({
 *   name: 'log collector covers every node',
 *   cluster: { nodes: 3 },
 *   async run(t) {
 *     const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
 *     await t.step('covered', () => ds.expectCoverage().within('60s'));
 *   },
 * });
 */
export function defineScenario(def: ScenarioDefinition): Scenario {
  return { ...def, [BRAND]: true } as Scenario;
}

/** True for objects made by defineScenario (also across module copies). */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
