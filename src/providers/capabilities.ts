// What a provider can do to a cluster, so a scenario that needs more is skipped with the reason instead of failing half-way.
import { CapabilityError, UsageError } from '../util/errors.js';

/**
 * One ability a scenario may need. Node abilities change machines; the bad-image kinds are the
 * images `ds.badImage(kind)` pushes; `registry-outage` stops and restarts the registry nodes pull from;
 * `control-plane-restart` and `control-plane-pause` restart or freeze a control-plane process (`t.controlPlane`).
 */
export type Capability =
  | 'node-add' | 'node-remove' | 'node-fail' | 'pod-fail'
  | 'pull-error' | 'crash-loop' | 'never-ready' | 'missing-tag' | 'auth-required' | 'slow-registry'
  | 'registry-outage' | 'control-plane-restart' | 'control-plane-pause';

/** Every capability name, in the order the docs list them. */
export const CAPABILITIES: readonly Capability[] = [
  'node-add', 'node-remove', 'node-fail', 'pod-fail',
  'pull-error', 'crash-loop', 'never-ready', 'missing-tag', 'auth-required', 'slow-registry',
  'registry-outage', 'control-plane-restart', 'control-plane-pause',
];

/** For each capability: `true`, or the reason this provider lacks it (one line, shown when a scenario is skipped). */
export type CapabilitySet = Readonly<Record<Capability, true | string>>;

/**
 * Checks `requires` (from a scenario file) against what the provider can do: the capabilities it
 * lacks, each with the reason. An unknown capability name is the scenario's mistake (UsageError).
 */
export function unmetRequirements(requires: unknown, set: CapabilitySet, file: string): Array<{ capability: Capability; why: string }> {
  if (requires === undefined) return [];
  if (!Array.isArray(requires)) throw new UsageError(`${file}: field "requires" must be a list of capabilities (${CAPABILITIES.join(', ')})`);
  for (const c of requires) {
    if (!CAPABILITIES.includes(c as Capability)) throw new UsageError(`${file}: field "requires": ${JSON.stringify(c)} is not one of ${CAPABILITIES.join(', ')}`);
  }
  return (requires as Capability[]).flatMap((capability) => (set[capability] === true ? [] : [{ capability, why: set[capability] as string }]));
}

/** A scenario needs what the provider lacks: the runner reports it skipped with this message. */
export class MissingCapabilities extends CapabilityError {
  constructor(provider: string, unmet: Array<{ capability: Capability; why: string }>) {
    super(provider, unmet.map((u) => u.capability).join(', '), unmet.map((u) => u.why).join('; '));
    this.message = `needs ${unmet.map((u) => `${u.capability} (provider ${provider} lacks it: ${u.why})`).join(', ')}`;
  }
}

/** Throws the CapabilityError a provider gives for an ability it lacks (its undo is then withdrawn). */
export function requireCapability(provider: string, set: CapabilitySet, c: Capability, action: string): void {
  const has = set[c];
  if (has !== true) throw new CapabilityError(provider, action, has);
}
