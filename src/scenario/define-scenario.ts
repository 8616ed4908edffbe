// The authoring entry point: `export default defineScenario({...})` in a scenarios/*.ts file.
import type { NodeSpec } from '../providers/cluster.js';
import type { Duration } from '../util/duration.js';
import type { ScenarioContext } from './scenario-context.js';

const BRAND = Symbol.for('rollcall.scenario');

export interface ScenarioDefinition {
  /** Unique, human name; shown in progress output and reports. */
  name: string;
  description?: string;
  tags?: string[];
  /** The throwaway cluster this scenario needs: a node count, or each node spelled out. */
  cluster: { nodes: number | NodeSpec[] };
  /** Upper bound for the whole scenario (default 5m). */
  timeout?: Duration;
  /** The body: act on the cluster through `t` and assert what the DaemonSet controller does. */
  run(t: ScenarioContext): Promise<void>;
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
