// Applies a Kubernetes strategic merge patch to a plain object, as far as KWOK recordings need: maps merge, null
// deletes, lists of known kinds merge by their key, and the $patch / $retainKeys / $deleteFromPrimitiveList directives.

/**
 * The merge key of each list field that merges rather than replaces (patchMergeKey in the API
 * types), by field name: the few lists of nodes, pods and DaemonSets whose names repeat across
 * objects merge the same way everywhere they appear.
 */
const MERGE_KEYS: Record<string, string> = {
  conditions: 'type', containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name',
  ports: 'containerPort', volumeMounts: 'mountPath', volumeDevices: 'devicePath', imagePullSecrets: 'name', addresses: 'type',
  ownerReferences: 'uid', podIPs: 'ip', hostIPs: 'ip', hostAliases: 'ip', volumesAttached: 'name', resourceClaims: 'name',
};
/** Lists of plain values that merge as sets. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `original` with `patch` applied (neither is modified). */
export function applyStrategicMerge(original: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return patch;
  if (patch.$patch === 'replace') return strip(patch);
  if (patch.$patch === 'delete') return null;
  const out: Record<string, Json> = isMap(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((x) => !drop.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else if (isMap(v)) {
      const merged = applyStrategicMerge(out[k], v);
      if (merged === null) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergeList(field: string, original: Json | undefined, patch: Json[]): Json[] {
  const before = Array.isArray(original) ? original : [];
  if (patch.some((x) => isMap(x) && x.$patch === 'replace')) return patch.filter((x) => !(isMap(x) && x.$patch === 'replace')).map((x) => (isMap(x) ? strip(x) : x));
  if (MERGED_PRIMITIVE_LISTS.has(field)) return [...new Set([...before, ...patch].map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as Json);
  const key = MERGE_KEYS[field];
  if (!key) return patch;
  const out = [...before];
  for (const item of patch) {
    if (!isMap(item)) continue;
    const i = out.findIndex((x) => isMap(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = applyStrategicMerge(out[i], item);
    else out.push(strip(item));
  }
  return out;
}

function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// A patch fragment used as a value: without its directives.
function strip(v: { [k: string]: Json }): Json {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, isMap(x) ? strip(x) : x]));
}
