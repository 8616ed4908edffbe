// The shape of one check: an id, a title, and a pure function from a DaemonSet's context to findings.
import type { Finding, Severity } from './check-model.js';
import type { DaemonSetContext } from './daemon-set-context.js';

/** One check over one DaemonSet. */
export interface Check {
  id: string;
  /** What it looks for, for the report's list of checks. */
  title: string;
  run(ctx: DaemonSetContext): Finding[];
}

/** A finding about the context's DaemonSet. */
export function finding(ctx: DaemonSetContext, check: string, severity: Severity, message: string, evidence: string[], fix: string, nodes?: string[]): Finding {
  return { check, severity, subject: ctx.id, message, evidence, fix, ...(nodes?.length ? { nodes } : {}) };
}

/** "3 nodes: a, b, c" with at most `max` names. */
export function nodeList(nodes: string[], max = 8): string {
  const shown = nodes.slice(0, max).join(', ');
  return `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${shown}${nodes.length > max ? `, ... (${nodes.length - max} more)` : ''}`;
}
