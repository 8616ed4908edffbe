// Checks on the DaemonSet's own spec: update strategy, budgets, probes, resources, priority, ports, tolerations.
import type { V1Container } from '@kubernetes/client-node';
import { effectiveTolerations, toleratesTaint } from '../expect/eligibility.js';
import { finding, nodeList, type Check } from './check.js';

const containers = (ctx: { object: { spec?: { template?: { spec?: { containers?: V1Container[] } } } } }) => ctx.object.spec?.template?.spec?.containers ?? [];

export const onDelete: Check = {
  id: 'on-delete',
  title: 'updateStrategy OnDelete: an upgrade will not roll it',
  run: (ctx) => (ctx.budget.strategy !== 'OnDelete' ? [] : [finding(ctx, 'on-delete', 'warning',
    'updateStrategy is OnDelete: a new template reaches a node only when someone deletes its pod',
    [`spec.updateStrategy.type: OnDelete`, `${ctx.rollout.desired} eligible nodes keep their current pods through an upgrade`],
    'set updateStrategy.type: RollingUpdate (with maxUnavailable), or plan to delete the pods node by node yourself')]),
};

export const maxUnavailableHigh: Check = {
  id: 'max-unavailable-high',
  title: 'maxUnavailable takes half the nodes or more down at once',
  run: (ctx) => {
    const { desired, nodesDownAtOnce } = ctx.rollout;
    // one node at a time is the least a rolling update can do, however small the fleet
    if (ctx.budget.strategy !== 'RollingUpdate' || nodesDownAtOnce < 2 || nodesDownAtOnce * 2 < desired) return [];
    const raw = ctx.object.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
    return [finding(ctx, 'max-unavailable-high', nodesDownAtOnce >= desired ? 'error' : 'warning',
      `maxUnavailable ${raw} takes ${nodesDownAtOnce} of ${desired} nodes without a daemon pod at once`,
      [`spec.updateStrategy.rollingUpdate.maxUnavailable: ${raw}`, `desired (eligible nodes): ${desired}`, `nodes down at once: ${nodesDownAtOnce}`],
      'lower maxUnavailable (e.g. 1 or 10%), or use maxSurge with maxUnavailable 0 so old pods serve until new ones are available')];
  },
};

export const noReadinessProbe: Check = {
  id: 'no-readiness-probe',
  title: 'a container has no readiness probe',
  run: (ctx) => {
    const missing = containers(ctx).filter((c) => !c.readinessProbe).map((c) => c.name);
    return missing.length ? [finding(ctx, 'no-readiness-probe', 'warning',
      `no readinessProbe on container${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: a broken image counts as available, so a rollout cannot halt`,
      missing.map((n) => `spec.template.spec.containers[${n}].readinessProbe: not set`),
      'add a readinessProbe that fails while the agent does not work (a real kubelet marks a started container Ready without one)')] : [];
  },
};

export const noResources: Check = {
  id: 'no-resources',
  title: 'a container has no CPU/memory requests or no memory limit',
  run: (ctx) => {
    const gaps = containers(ctx).flatMap((c) => {
      const req = c.resources?.requests ?? {}; const lim = c.resources?.limits ?? {};
      const missing = [...['cpu', 'memory'].filter((r) => req[r] === undefined).map((r) => `requests.${r}`), ...(lim.memory === undefined ? ['limits.memory'] : [])];
      return missing.length ? [`container ${c.name}: no ${missing.join(', ')}`] : [];
    });
    return gaps.length ? [finding(ctx, 'no-resources', 'warning', `missing resources: ${gaps.join('; ')}`, gaps,
      'set requests (the scheduler reserves them on every node) and a memory limit, so the agent neither starves nor is starved')] : [];
  },
};

export const priorityClass: Check = {
  id: 'priority-class',
  title: 'priorityClassName is not system-node-critical',
  run: (ctx) => {
    const name = ctx.object.spec?.template?.spec?.priorityClassName;
    if (name === 'system-node-critical') return [];
    const pc = ctx.twin.priorityClasses.find((p) => p.name === name);
    const fallback = ctx.twin.priorityClasses.find((p) => p.globalDefault);
    if (name && !pc && ctx.twin.priorityClasses.length) {
      return [finding(ctx, 'priority-class', 'error', `priorityClassName ${name} does not exist: the controller cannot create pods`,
        [`spec.template.spec.priorityClassName: ${name}`, `PriorityClasses: ${ctx.twin.priorityClasses.map((p) => p.name).join(', ')}`],
        'create the PriorityClass, or use system-node-critical')];
    }
    const evidence = name ? `spec.template.spec.priorityClassName: ${name} (value ${pc?.value ?? '?'})`
      : `spec.template.spec.priorityClassName: not set (priority ${fallback ? `${fallback.value} from globalDefault ${fallback.name}` : 0})`;
    return [finding(ctx, 'priority-class', 'warning', `priorityClassName is ${name ?? 'not set'}, not system-node-critical: on a full node the pod waits instead of preempting`,
      [evidence], 'set priorityClassName: system-node-critical so a new or replaced daemon pod preempts ordinary pods and is evicted last')];
  },
};

export const hostPortSurge: Check = {
  id: 'host-port-surge',
  title: 'hostPort with maxSurge > 0: the surge pod cannot schedule',
  run: (ctx) => {
    if (ctx.budget.strategy !== 'RollingUpdate' || ctx.budget.maxSurge === 0) return [];
    const hostNetwork = ctx.object.spec?.template?.spec?.hostNetwork === true;
    const ports = containers(ctx).flatMap((c) => (c.ports ?? [])
      .filter((p) => (p.hostPort ?? 0) > 0 || hostNetwork)
      .map((p) => `container ${c.name}: hostPort ${p.hostPort ?? p.containerPort}${hostNetwork && !p.hostPort ? ' (hostNetwork)' : ''}/${p.protocol ?? 'TCP'}`));
    if (!ports.length) return [];
    return [finding(ctx, 'host-port-surge', 'error',
      `hostPort with maxSurge ${ctx.budget.maxSurge}: the surge pod needs the port its old pod holds on the same node, stays Pending, and the rollout stops`,
      [...ports, `spec.updateStrategy.rollingUpdate.maxSurge: ${ctx.object.spec?.updateStrategy?.rollingUpdate?.maxSurge}`],
      'use maxSurge 0 with maxUnavailable >= 1, or drop the hostPort (a Service or hostNetwork-free port)')];
  },
};

export const noExecuteTolerationSeconds: Check = {
  id: 'noexecute-toleration-seconds',
  title: 'a NoExecute toleration with tolerationSeconds: evicted and recreated in a loop',
  run: (ctx) => {
    // effectiveTolerations: the controller's own not-ready/unreachable tolerations replace identical ones without seconds.
    const timed = effectiveTolerations(ctx.object).filter((t) => (t.effect ?? '') !== 'NoSchedule' && (t.effect ?? '') !== 'PreferNoSchedule' && t.tolerationSeconds != null);
    return timed.map((t) => {
      const show = `${t.key || '(any key)'}${t.value ? `=${t.value}` : ''}:${t.effect || '(any effect)'} tolerationSeconds ${t.tolerationSeconds}`;
      const now = [...ctx.nodes.values()].filter((n) => (n.spec?.taints ?? []).some((taint) => taint.effect === 'NoExecute' && toleratesTaint(t, taint)))
        .map((n) => n.metadata?.name ?? '');
      return finding(ctx, 'noexecute-toleration-seconds', now.length ? 'error' : 'warning',
        `toleration ${show}: once that taint is on a node the pod is evicted after ${t.tolerationSeconds} s and recreated at once, since the DaemonSet tolerates the taint`,
        [`spec.template.spec.tolerations: ${show}`, now.length ? `tainted now: ${nodeList(now)}` : 'no node carries a matching NoExecute taint now'],
        'drop tolerationSeconds (stay), or do not tolerate the taint at all (leave the node)', now);
    });
  },
};

/** The checks on the DaemonSet's own spec, in report order. */
export const SPEC_CHECKS: Check[] = [onDelete, maxUnavailableHigh, noReadinessProbe, noResources, priorityClass, hostPortSurge, noExecuteTolerationSeconds];
