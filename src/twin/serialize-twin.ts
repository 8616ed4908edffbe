// Writes a ClusterTwin as YAML that reads well by hand and parses back to the same twin.
import { stringify } from 'yaml';
import type { ClusterTwin } from './twin-model.js';

const HEADER = '# A rollcall ClusterTwin: what the cluster\'s DaemonSets depend on, read-only.\n'
  + '# Format: src/twin/SCHEMA.md in rollcall. Check it with `rollcall check FILE`.\n';

/** The twin as YAML text, with a header naming the format. */
export function serializeTwin(twin: ClusterTwin): string {
  return HEADER + stringify(twin, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}
