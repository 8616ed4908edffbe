// Which kinds of handle (timers, sockets, child processes) a scenario left open: they keep Node's
// event loop alive, so a CI job would hang after the summary. Counted from Node's own list.

/** Counts of active resources by type, e.g. { Timeout: 2, TCPSocketWrap: 1 }. */
export function activeHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    // Pending promises of fs calls and the like end on their own; they never hold a process up for long.
    if (type === 'FSReqCallback' || type === 'FSReqPromise') continue;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** The handles `after` has beyond `before`, as "2 Timeout, 1 TCPSocketWrap" parts (empty when none). */
export function handlesLeft(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of after) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) out.push(`${extra} ${type}`);
  }
  return out;
}
