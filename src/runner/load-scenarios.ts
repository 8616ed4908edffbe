// Finds scenario files, loads their default export and checks every field that can be checked
// without a cluster, with one-line errors naming the file and the field.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CAPABILITIES, unmetRequirements, type CapabilitySet } from '../providers/capabilities.js';
import { isScenario, type Scenario } from '../scenario/define-scenario.js';
import { durationIn } from '../util/duration.js';
import { UsageError } from '../util/errors.js';
import { clusterRequest } from './cluster-request.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** Scenario files from paths (files or folders; a folder means its *.ts files, sorted). */
export function findScenarioFiles(paths: string[], cwd = process.cwd()): string[] {
  const inputs = paths.length ? paths : ['scenarios'];
  const files: string[] = [];
  for (const p of inputs) {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) throw new UsageError(`${p}: no such file or folder`);
    if (statSync(abs).isDirectory()) {
      const found = readdirSync(abs).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort().map((f) => join(abs, f));
      if (!found.length) throw new UsageError(`${p}: no scenario files (*.ts) in this folder`);
      files.push(...found);
    } else {
      if (!abs.endsWith('.ts') && !abs.endsWith('.js') && !abs.endsWith('.mts')) throw new UsageError(`${p}: a scenario file must be .ts or .js`);
      files.push(abs);
    }
  }
  return [...new Set(files)];
}

/** Every capability present: checking `requires` against it only validates the names. */
const ANY_PROVIDER = Object.fromEntries(CAPABILITIES.map((c) => [c, true])) as unknown as CapabilitySet;

/**
 * Imports each file and checks it default-exports a scenario made by defineScenario, with a
 * usable name, run, cluster (node specs, kind config), timeout, requires and tags: a mistake in
 * any file fails the run before a toolchain is checked or a cluster starts.
 */
export async function loadScenarios(files: string[], cwd = process.cwd()): Promise<LoadedScenario[]> {
  const out: LoadedScenario[] = [];
  for (const file of files) {
    const rel = file.startsWith(cwd) ? file.slice(cwd.length + 1) : file;
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${rel}: ${err.message}`);
      throw new UsageError(`${rel}: cannot load the scenario: ${loadProblem(err)}`);
    }
    if (!isScenario(mod.default)) throw new UsageError(`${rel}: the default export is not a scenario (write: export default defineScenario({ ... }))`);
    const s = mod.default;
    if (s.name === undefined) throw new UsageError(`${rel}: name is missing`);
    if (typeof s.name !== 'string' || !s.name.trim()) throw new UsageError(`${rel}: field "name" must be a non-empty string, got ${JSON.stringify(s.name)}`);
    if (typeof s.run !== 'function') throw new UsageError(`${rel}: run must be an async function`);
    if (s.description !== undefined && typeof s.description !== 'string') throw new UsageError(`${rel}: field "description" must be a string`);
    if (s.tags !== undefined && (!Array.isArray(s.tags) || !s.tags.every((t) => typeof t === 'string'))) throw new UsageError(`${rel}: field "tags" must be a list of strings`);
    if (!s.cluster || (s.cluster.nodes === undefined && s.cluster.config === undefined)) throw new UsageError(`${rel}: cluster.nodes (or cluster.config, a kind config file) is missing`);
    clusterRequest(s.cluster, file);
    if (s.timeout !== undefined) durationIn(rel, s.timeout, 'timeout');
    unmetRequirements(s.requires, ANY_PROVIDER, rel);
    out.push({ file, scenario: s });
  }
  const names = new Map<string, string>();
  for (const { file, scenario } of out) {
    const prev = names.get(scenario.name);
    if (prev) throw new UsageError(`${relative(cwd, file) || file}: name "${scenario.name}" is already used by ${relative(cwd, prev) || prev}`);
    names.set(scenario.name, file);
  }
  return out;
}

/**
 * The one line that says why a file did not import. tsx reports a syntax error as "Transform
 * failed with 1 error:" and, on the next line, esbuild's `<path>:<line>:<column>: ERROR: <text>`
 * (column counted from 0): that line is the one that helps.
 */
function loadProblem(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n');
  const esbuild = lines.slice(1).map((l) => /^.*:(\d+):(\d+): ERROR: (.*)$/.exec(l)).find(Boolean);
  if (/^Transform failed/.test(lines[0]!) && esbuild) return `syntax error at line ${esbuild[1]}, column ${Number(esbuild[2]) + 1}: ${esbuild[3]}`;
  return lines[0]!;
}
