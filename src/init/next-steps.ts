// What `rollcall init` tells the user to run next, from what it found in the folder.

/** What init learned about the folder it scaffolded. */
export interface FolderFacts {
  /** The folder relative to where init ran ('' or '.' when it is that folder). */
  relativeDir: string;
  /** The folder's package.json, parsed, if it has one. */
  packageJson?: PackageJsonLike;
}

/** The parts of a package.json that init reads. */
export interface PackageJsonLike {
  name?: unknown;
  type?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
}

/** True if the package is rollcall itself or lists it as a (dev) dependency. */
export function listsRollcall(pkg: PackageJsonLike | undefined): boolean {
  if (!pkg) return false;
  const has = (deps: unknown) => typeof deps === 'object' && deps !== null && 'rollcall' in deps;
  return pkg.name === 'rollcall' || has(pkg.dependencies) || has(pkg.devDependencies);
}

/**
 * The commands that get the user going: into the folder, install rollcall where the package.json
 * does not list it (npm creates a package.json where there is none), then run the scenarios.
 *
 * @example
 * nextSteps({ relativeDir: '', packageJson: { devDependencies: { rollcall: '^0.1.0' } } }); // ['npx rollcall run']
 */
export function nextSteps(facts: FolderFacts): string[] {
  const steps: string[] = [];
  if (facts.relativeDir && facts.relativeDir !== '.') steps.push(`cd ${shellWord(facts.relativeDir)}`);
  if (!listsRollcall(facts.packageJson)) steps.push('npm install --save-dev rollcall');
  steps.push('npx rollcall run');
  return steps;
}

/** `word` quoted for a POSIX shell where it needs it. */
function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
