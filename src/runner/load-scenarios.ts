// Finds scenario files and loads their default export, with one-line errors naming the file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScenario, type Scenario } from '../scenario/define-scenario.js';
import { UsageError } from '../util/errors.js';

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

/** Imports each file and checks it default-exports a scenario made by defineScenario. */
export async function loadScenarios(files: string[], cwd = process.cwd()): Promise<LoadedScenario[]> {
  const out: LoadedScenario[] = [];
  for (const file of files) {
    const rel = file.startsWith(cwd) ? file.slice(cwd.length + 1) : file;
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${rel}: ${err.message}`);
      throw new UsageError(`${rel}: cannot load the scenario: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!isScenario(mod.default)) throw new UsageError(`${rel}: the default export is not a scenario (write: export default defineScenario({ ... }))`);
    const s = mod.default;
    if (typeof s.name !== 'string' || !s.name.trim()) throw new UsageError(`${rel}: name is missing`);
    if (typeof s.run !== 'function') throw new UsageError(`${rel}: run must be an async function`);
    if (!s.cluster || (s.cluster.nodes === undefined && s.cluster.config === undefined)) throw new UsageError(`${rel}: cluster.nodes (or cluster.config, a kind config file) is missing`);
    out.push({ file, scenario: s });
  }
  const names = new Map<string, string>();
  for (const { file, scenario } of out) {
    const prev = names.get(scenario.name);
    if (prev) throw new UsageError(`${file}: name "${scenario.name}" is already used by ${prev}`);
    names.set(scenario.name, file);
  }
  return out;
}
