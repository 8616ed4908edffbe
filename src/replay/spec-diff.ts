// DaemonSet causes from two consecutive specs: an image change, a rollback to an earlier template, or another patch.
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import { canonicalJson } from '../recording/canonical-json.js';
import type { DaemonSetCause } from './cause-model.js';

/**
 * The templates a DaemonSet has had, numbered as its ControllerRevisions will be in the replay:
 * the starting template is revision 1, each new template the next number, and a template that
 * comes back takes the next number again (the controller renumbers the old ControllerRevision).
 */
export class TemplateHistory {
  private readonly revisions: Array<{ template: string; number: number }>;

  constructor(initial: V1DaemonSetSpec) {
    this.revisions = [{ template: canonicalJson(initial.template), number: 1 }];
  }

  /** Records a new current template; says whether it is an earlier one, and its number before the change. */
  change(spec: V1DaemonSetSpec): { rollback?: { revision: number; previous: boolean } } {
    const template = canonicalJson(spec.template);
    const sorted = [...this.revisions].sort((a, b) => b.number - a.number);
    if (sorted[0]!.template === template) return {};
    const next = sorted[0]!.number + 1;
    const earlier = this.revisions.find((r) => r.template === template);
    if (!earlier) {
      this.revisions.push({ template, number: next });
      return {};
    }
    const found = { revision: earlier.number, previous: sorted[1]?.template === template };
    earlier.number = next;
    return { rollback: found };
  }
}

/** The causes that turn `before` into `after`; `history` is updated with the new template. */
export function diffSpec(before: V1DaemonSetSpec, after: V1DaemonSetSpec, t: number, history: TemplateHistory): DaemonSetCause[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const out: DaemonSetCause[] = [];
  const { rollback } = history.change(after);
  const templateChanged = canonicalJson(before.template) !== canonicalJson(after.template);
  const imagesOnly = !rollback && templateChanged && canonicalJson(withoutImages(before)) === canonicalJson(withoutImages(after));
  if (rollback) {
    out.push({ kind: 'ds.rollback', t, ...rollback, evidence: `the pod template went back to revision ${rollback.revision}'s` });
  } else if (imagesOnly) {
    const images = (after.template.spec?.containers ?? [])
      .filter((c) => before.template.spec?.containers.find((b) => b.name === c.name)?.image !== c.image)
      .map((c) => ({ container: c.name, image: c.image ?? '' }));
    out.push({ kind: 'ds.image', t, images });
  }
  // What else changed (everything, when the template changed in more than its images) is a patch.
  const patch = mergePatch(rollback || imagesOnly ? { ...before, template: after.template } : before, after) as Record<string, unknown> | undefined;
  if (patch && Object.keys(patch).length) out.push({ kind: 'ds.patch', t, patch, fields: changedFields(patch), spec: after });
  return out;
}

/** An RFC 7386 JSON merge patch from `a` to `b` (undefined when they are equal). */
export function mergePatch(a: unknown, b: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return canonicalJson(a) === canonicalJson(b) ? undefined : b;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(b)) {
    const d = mergePatch(a[k], b[k]);
    if (d !== undefined) out[k] = d;
  }
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

// Dotted paths to the leaves a patch changes, for the step title ("updateStrategy.rollingUpdate.maxUnavailable").
function changedFields(patch: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length
    ? changedFields(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function withoutImages(spec: V1DaemonSetSpec): unknown {
  const copy = JSON.parse(JSON.stringify(spec)) as V1DaemonSetSpec;
  for (const c of copy.template.spec?.containers ?? []) delete c.image;
  return copy.template;
}
