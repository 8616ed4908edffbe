// What `rollcall init` writes: the file list for a folder, as plain data (the command does the I/O).
import { posix } from 'node:path';
import { EXAMPLE_MANIFEST, EXAMPLE_NAME, EXAMPLE_PATH } from './example-manifest.js';
import { scenarioSource } from './scenario-template.js';
import { SCENARIOS_PACKAGE_JSON, TSCONFIG } from './tsconfig-template.js';
import { WORKFLOW, WORKFLOW_PATH } from './workflow-template.js';

/** One file to create: `path` is relative to the folder being initialised, with `/` separators. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/** A DaemonSet to write a scenario for, and its manifest relative to the folder being initialised. */
export interface DaemonSetTarget {
  name: string;
  manifest: string;
}

export interface ScaffoldInput {
  /** The user's DaemonSets (one scenario each); none means the example DaemonSet is scaffolded too. */
  daemonSets: DaemonSetTarget[];
  /** The folder's package.json "type", if it has one; anything but 'module' gets scenarios/package.json. */
  packageType?: string;
}

/**
 * The files `rollcall init` creates, in the order it reports them: scenarios first, then the
 * example manifest (without DaemonSets of the user's), tsconfig.json and the CI workflow.
 *
 * @example
 * scaffoldFiles({ daemonSets: [{ name: 'fluent-bit', manifest: 'deploy/fluent-bit.yaml' }], packageType: 'module' });
 */
export function scaffoldFiles(input: ScaffoldInput): ScaffoldFile[] {
  const example = !input.daemonSets.length;
  const targets = example ? [{ name: EXAMPLE_NAME, manifest: EXAMPLE_PATH }] : input.daemonSets;
  const files: ScaffoldFile[] = targets.map((ds) => ({
    path: `scenarios/${ds.name}.ts`,
    content: scenarioSource(ds.name, fromScenarios(ds.manifest)),
  }));
  if (input.packageType !== 'module') files.push({ path: 'scenarios/package.json', content: SCENARIOS_PACKAGE_JSON });
  if (example) files.push({ path: EXAMPLE_PATH, content: EXAMPLE_MANIFEST });
  files.push({ path: 'tsconfig.json', content: TSCONFIG }, { path: WORKFLOW_PATH, content: WORKFLOW });
  return files;
}

/** `manifest` (relative to the initialised folder, or absolute) as the scenario file in scenarios/ must name it. */
function fromScenarios(manifest: string): string {
  return posix.isAbsolute(manifest) ? manifest : posix.relative('scenarios', manifest);
}

/** Splits `files` into those to write and those that already exist (which are never overwritten). */
export function partitionExisting(files: ScaffoldFile[], exists: (path: string) => boolean): { write: ScaffoldFile[]; existing: string[] } {
  const write: ScaffoldFile[] = [];
  const existing: string[] = [];
  for (const f of files) {
    if (exists(f.path)) existing.push(f.path);
    else write.push(f);
  }
  return { write, existing };
}
