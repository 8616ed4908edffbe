// `rollcall init [dir] [--daemonset file]`: scaffolds scenarios, tsconfig.json and a CI workflow into a repository, never overwriting.
import type { CommandModule } from 'yargs';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadManifests } from '../../kube/manifests.js';
import { daemonSetNames } from '../../init/daemon-set-names.js';
import { nextSteps, type PackageJsonLike } from '../../init/next-steps.js';
import { partitionExisting, scaffoldFiles, type DaemonSetTarget } from '../../init/scaffold.js';
import { UsageError } from '../../util/errors.js';

interface InitArgs {
  dir?: string;
  daemonset?: string;
}

/** The DaemonSets in `file` (relative to cwd), each with the file's path relative to `dir`; one line on stdout when there are several. */
function readTargets(file: string, dir: string, out: (line: string) => void): DaemonSetTarget[] {
  const { path, objects } = loadManifests(file, process.cwd(), file);
  const names = daemonSetNames(objects);
  if (!names.length) throw new UsageError(`${file}: no DaemonSet in the file (found ${objects.map((o) => `${o.kind} ${o.metadata?.name}`).join(', ')})`);
  if (names.length > 1) out(`${file} has ${names.length} DaemonSets (${names.join(', ')}): one scenario each`);
  const manifest = relative(dir, path).split(sep).join('/');
  return names.map((name) => ({ name, manifest }));
}

/** The folder's package.json, if any; a broken one is the user's to fix, so it is named. */
function readPackageJson(dir: string, label: string): PackageJsonLike | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJsonLike;
  } catch (err) {
    throw new UsageError(`${label}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

/** Scaffolds into `dirArg` (created if missing) and reports each file on `out`. */
export function runInit(dirArg: string, daemonSetFile: string | undefined, out: (line: string) => void): void {
  const dir = resolve(dirArg);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dirArg}: not a folder`);
  const relativeDir = relative(process.cwd(), dir);
  const targets = daemonSetFile ? readTargets(daemonSetFile, dir, out) : [];
  const packageJson = readPackageJson(dir, join(relativeDir, 'package.json'));
  const files = scaffoldFiles({ daemonSets: targets, packageType: typeof packageJson?.type === 'string' ? packageJson.type : undefined });
  const { write, existing: found } = partitionExisting(files, (p) => existsSync(join(dir, p)));
  const existing = found.map((p) => join(relativeDir, p));
  for (const f of write) {
    const target = join(dir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, { flag: 'wx' });
    out(`wrote ${join(relativeDir, f.path)}`);
  }
  if (!write.length) {
    out(`nothing written: every file init would write exists already (${existing.join(', ')})`);
    return;
  }
  if (existing.length) out(`exists, left alone: ${existing.join(', ')}`);
  out('next:');
  for (const step of nextSteps({ relativeDir, packageJson })) out(`  ${step}`);
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [dir]',
  describe: 'Scaffold a scenario for your DaemonSet, tsconfig.json and a GitHub Actions workflow (never overwrites a file)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'the repository to set up (default: the current folder)' })
      .option('daemonset', { type: 'string', describe: 'your DaemonSet manifest (a bundle with its ServiceAccount, RBAC, ConfigMap is fine)' }) as never,
  handler: (args) => {
    runInit(args.dir ?? '.', args.daemonset, (line) => process.stdout.write(`${line}\n`));
  },
};
