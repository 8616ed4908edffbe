// The shape of one battery step, its "does not apply" and "cannot start" outcomes, and the baseline every step starts from.
import type { DaemonSetHandle, ScenarioContext } from '../../index.js';
import { CapabilityError } from '../../util/errors.js';
import type { RehearsalTarget } from '../rehearsal-target.js';

/** One step of the rehearsal battery. */
export interface BatteryStep {
  /** Short id, the matrix column: `coverage`, `rolling-update`, ... */
  id: string;
  /** The step's name in the scenario and its report. */
  title: string;
  /** Why the step does not apply to this DaemonSet (it is then skipped with that reason), or undefined. */
  skipReason(target: RehearsalTarget): string | undefined;
  /** Runs inside `t.step(title)`; throws AssertionFailure when the DaemonSet misbehaves. */
  run(t: ScenarioContext, ds: DaemonSetHandle, target: RehearsalTarget): Promise<void>;
}

/**
 * A step that is not run, with the reason: reported `skipped`, not failed. It is a CapabilityError
 * because that is what the runner already reports as a skip.
 */
export class StepSkipped extends CapabilityError {
  constructor(reason: string) {
    super('rehearse', 'run this step', reason);
    this.message = reason;
  }
}

// DaemonSets whose baseline was missed once: later steps look for it briefly, not for a full minute each.
const missedBaseline = new WeakSet<DaemonSetHandle>();

/**
 * Every step starts from full coverage. A DaemonSet that never reaches it in the copy (its pods do
 * not fit, its image does not pull) skips the step: the coverage step already said why.
 */
export async function fromFullCoverage(ds: DaemonSetHandle, timeout = '60s'): Promise<void> {
  try {
    await ds.expectCoverage().within(missedBaseline.has(ds) ? '5s' : timeout);
    missedBaseline.delete(ds);
  } catch (err) {
    missedBaseline.add(ds);
    throw new StepSkipped(`not fully covered before this step, so it would only measure that: ${(err as Error).message.replace(/^coverage of [^:]+: /, '')}`);
  }
}

/** The first node of the copy this DaemonSet should run on, per check's prediction, if any. */
export function firstRunningNode(target: RehearsalTarget, ds: DaemonSetHandle): string | undefined {
  const live = new Set(ds.podsByNode().keys());
  return target.prediction.find((p) => p.expect === 'runs' && live.has(p.node))?.node ?? target.prediction.find((p) => p.expect === 'runs')?.node;
}

/** A tag for "the next version" of an image: `agent:1.2` -> `agent:1.2-rehearsal`. kwok runs any image. */
export function nextImage(image: string): string {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? `${base}-rehearsal` : `${base}:rehearsal`;
}
