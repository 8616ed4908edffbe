// Checks the parts of a twin's DaemonSet spec that rollcall reads, as the API server's validation would.
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import { parseIntOrPercent, rollingBudget } from '../expect/budget.js';
import type { FieldReader } from './field-reader.js';
import { parseQuantity } from './quantity.js';

const EFFECTS = ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const TOLERATION_OPERATORS = ['', 'Exists', 'Equal', 'Lt', 'Gt'] as const;
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

/** Validates `spec` (a DaemonSetSpec) and returns it; throws a one-line UsageError naming the field. */
export function validateDaemonSetSpec(spec: FieldReader): V1DaemonSetSpec {
  spec.object(true);
  spec.get('selector').object(true);
  spec.get('minReadySeconds').optionalInteger();
  validateUpdateStrategy(spec);
  const pod = spec.get('template').get('spec');
  pod.object(true);
  const containers = pod.get('containers').list(true);
  if (!containers.length) pod.get('containers').fail('needs at least one container');
  for (const c of [...containers, ...pod.get('initContainers').list()]) validateContainer(c);
  pod.get('nodeSelector').stringMap();
  pod.get('priorityClassName').optionalString();
  pod.get('hostNetwork').boolean(false);
  for (const t of pod.get('tolerations').list()) {
    t.get('key').optionalString();
    const op = t.get('operator').oneOf(TOLERATION_OPERATORS, '');
    t.get('effect').oneOf(EFFECTS, '');
    t.get('value').optionalString();
    if (op === 'Exists' && t.get('value').present && t.get('value').value !== '') t.get('value').fail('must be empty when operator is Exists');
    t.get('tolerationSeconds').optionalInteger(Number.MIN_SAFE_INTEGER);
  }
  const required = pod.get('affinity').get('nodeAffinity').get('requiredDuringSchedulingIgnoredDuringExecution');
  for (const term of required.get('nodeSelectorTerms').list(required.present)) {
    for (const field of ['matchExpressions', 'matchFields']) {
      for (const r of term.get(field).list()) {
        r.get('key').string();
        r.get('operator').oneOf(SELECTOR_OPERATORS);
        for (const v of r.get('values').list()) v.string();
      }
    }
  }
  return spec.value as V1DaemonSetSpec;
}

// type RollingUpdate/OnDelete, and budgets the API server would accept (rollingBudget throws TypeError otherwise).
function validateUpdateStrategy(spec: FieldReader): void {
  const strategy = spec.get('updateStrategy');
  strategy.object();
  strategy.get('type').oneOf(['RollingUpdate', 'OnDelete'] as const, 'RollingUpdate');
  const rolling = strategy.get('rollingUpdate');
  rolling.object();
  for (const key of ['maxUnavailable', 'maxSurge']) {
    const f = rolling.get(key);
    if (!f.present) continue;
    try {
      parseIntOrPercent(f.value as number | string, 100, key);
    } catch (err) {
      f.fail((err as Error).message.replace(`${key}: `, ''));
    }
  }
  const zero = (v: unknown) => v === 0 || v === '0%';
  if (rolling.present && zero(rolling.get('maxUnavailable').value) && (!rolling.get('maxSurge').present || zero(rolling.get('maxSurge').value))) {
    rolling.get('maxUnavailable').fail('cannot be 0 when maxSurge is 0');
  }
  try {
    rollingBudget({ spec: spec.value as V1DaemonSetSpec }, 1);
  } catch (err) {
    rolling.get('maxSurge').fail((err as Error).message.replace(/^[^:]*maxSurge: /, ''));
  }
}

// A container: a name, resources that are quantities, ports that are port numbers.
function validateContainer(c: FieldReader): void {
  c.object(true);
  c.get('name').string();
  c.get('image').optionalString();
  for (const kind of ['requests', 'limits']) {
    const r = c.get('resources').get(kind);
    for (const [name, value] of Object.entries(r.object())) {
      if (parseQuantity(value) === undefined) r.get(name).fail(`${JSON.stringify(value)} is not a quantity (e.g. 100m, 1.5, 256Mi)`);
    }
  }
  for (const p of c.get('ports').list()) {
    p.get('containerPort').integer(1);
    if (p.get('hostPort').present && p.get('hostPort').integer(0) > 65535) p.get('hostPort').fail('must be at most 65535');
  }
}
