// A record per cluster rollcall created, written before it starts, so `rollcall gc` can reclaim
// what a killed run (SIGKILL, power loss) left behind.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterRecord {
  name: string;
  provider: string;
  /** The process that owns the cluster; when it is gone and `persistent` is false, gc reclaims. */
  ownerPid: number;
  persistent: boolean;
  createdAt: string;
  /** Folders that belong to the cluster and are removed with it. */
  dirs: string[];
  kubeconfig: string;
  kubernetesVersion: string;
}

export function writeRecord(registryDir: string, rec: ClusterRecord): void {
  mkdirSync(registryDir, { recursive: true });
  writeFileSync(join(registryDir, `${rec.name}.json`), JSON.stringify(rec, null, 2));
}

export function removeRecord(registryDir: string, name: string): void {
  rmSync(join(registryDir, `${name}.json`), { force: true });
}

export function readRecord(registryDir: string, name: string): ClusterRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(registryDir, `${name}.json`), 'utf8')) as ClusterRecord;
  } catch {
    return undefined;
  }
}

export function listRecords(registryDir: string): ClusterRecord[] {
  let files: string[];
  try {
    files = readdirSync(registryDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    const rec = readRecord(registryDir, f.slice(0, -5));
    return rec ? [rec] : [];
  });
}
