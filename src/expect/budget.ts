// The rolling-update budget of a DaemonSet: how many nodes may be unavailable / surged at once.
import type { V1DaemonSet } from '@kubernetes/client-node';

export interface RollingBudget {
  maxUnavailable: number;
  maxSurge: number;
  strategy: 'RollingUpdate' | 'OnDelete';
}

// Scales an int-or-percent against total, rounding percentages UP (intstr.GetScaledValueFromIntOrPercent
// with roundUp=true, as util.UnavailableCount and util.SurgeCount call it); throws TypeError naming the field.
export function parseIntOrPercent(value: number | string, total: number, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`${field}: ${value} must be a non-negative integer or a percentage`);
    return value;
  }
  // a string must be a percentage: validation.IsValidPercent (^[0-9]+%$), stricter than the controller's Atoi
  const m = typeof value === 'string' ? /^([0-9]+)%$/.exec(value) : null;
  if (!m) throw new TypeError(`${field}: ${JSON.stringify(value)} (${typeof value}) is neither an integer nor a percentage like "25%"`);
  const pct = Number(m[1]);
  // IsNotMoreThan100Percent (apps validation)
  if (pct > 100) throw new TypeError(`${field}: ${value} must not be more than 100%`);
  return Math.ceil((pct * total) / 100);
}

// The effective budget the controller uses for `desired` nodes (update.go updatedDesiredNodeCounts), with the
// API server's defaults (apps/v1 SetDefaults_DaemonSet: RollingUpdate, maxUnavailable 1, maxSurge 0).
export function rollingBudget(ds: V1DaemonSet, desired: number): RollingBudget {
  const strategy = ds.spec?.updateStrategy;
  const type = strategy?.type ?? 'RollingUpdate';
  if (type === 'OnDelete') return { maxUnavailable: 0, maxSurge: 0, strategy: 'OnDelete' };
  if (type !== 'RollingUpdate') throw new TypeError(`spec.updateStrategy.type: ${JSON.stringify(type)} is neither RollingUpdate nor OnDelete`);
  const field = 'spec.updateStrategy.rollingUpdate';
  const rawUnavailable = strategy?.rollingUpdate?.maxUnavailable ?? 1;
  const rawSurge = strategy?.rollingUpdate?.maxSurge ?? 0;
  let maxUnavailable = parseIntOrPercent(rawUnavailable, desired, `${field}.maxUnavailable`);
  const maxSurge = parseIntOrPercent(rawSurge, desired, `${field}.maxSurge`);
  // ValidateRollingUpdateDaemonSet: maxSurge "may not be set when maxUnavailable is non-zero"
  if (isNonZero(rawUnavailable) && isNonZero(rawSurge)) {
    throw new TypeError(`${field}.maxSurge: ${rawSurge} may not be set when maxUnavailable (${rawUnavailable}) is non-zero`);
  }
  // updatedDesiredNodeCounts: an impossible 0/0 configuration falls back to maxUnavailable 1
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge, strategy: 'RollingUpdate' };
}

// Whether an already-validated int-or-percent is non-zero before scaling (apps validation getIntOrPercentValue).
function isNonZero(v: number | string): boolean {
  return typeof v === 'number' ? v !== 0 : Number(v.slice(0, -1)) !== 0;
}
