// What a scenario asks its provider for: nodes, or a kind config file (checked here, before any cluster starts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { NodeSpec } from '../providers/cluster.js';
import { kindConfigTopology } from '../providers/kind/kind-config-topology.js';
import { nodeSpecList, resolveNodeSpecs } from '../providers/node-specs.js';
import { UsageError } from '../util/errors.js';

/** A scenario's `cluster` field, resolved: a kind config path is absolute and its text read. */
export interface ClusterRequest {
  /** The nodes to create; empty when they come from `kindConfig`. */
  nodes: NodeSpec[];
  /** The kind config the scenario names: kind uses it as is, kwok emulates its nodes. */
  kindConfig?: { path: string; text: string };
}

/**
 * Checks a scenario's `cluster` field and reads its kind config. A mistake is one UsageError line
 * naming the scenario file (or the kind config file) and the field.
 */
export function clusterRequest(cluster: unknown, scenarioFile: string): ClusterRequest {
  const rel = relative(process.cwd(), scenarioFile) || scenarioFile;
  if (typeof cluster !== 'object' || cluster === null) throw new UsageError(`${rel}: field "cluster" must be { nodes } or { config }`);
  const { nodes, config } = cluster as { nodes?: unknown; config?: unknown };
  if (config === undefined) {
    try {
      const list = nodeSpecList(nodes as never, 'cluster.nodes');
      // Names, labels and taints are checked now, not by the API server of a cluster started for nothing.
      resolveNodeSpecs(list, [], 'cluster.nodes');
      return { nodes: list };
    } catch (err) {
      throw new UsageError(`${rel}: ${(err as Error).message}`);
    }
  }
  if (nodes !== undefined) throw new UsageError(`${rel}: field "cluster": give either nodes or config, not both`);
  if (typeof config !== 'string' || !config) throw new UsageError(`${rel}: field "cluster.config" must be the path of a kind config file`);
  const path = resolve(dirname(scenarioFile), config);
  if (!existsSync(path)) throw new UsageError(`${rel}: field "cluster.config": ${relative(process.cwd(), path) || path} does not exist`);
  const text = readFileSync(path, 'utf8');
  // Checked now, with a stand-in cluster name, so a bad file fails before any cluster starts.
  kindConfigTopology(text, relative(process.cwd(), path) || path, 'kind');
  return { nodes: [], kindConfig: { path, text } };
}
