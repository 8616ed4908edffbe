// `rollcall check (twin.yaml | --context CTX)`: predicts each DaemonSet's coverage and rollout risk; exit 1 at --fail-on.
import type { CommandModule } from 'yargs';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkTwin } from '../../check/check-twin.js';
import type { Severity } from '../../check/check-model.js';
import type { ManifestObject } from '../../check/removed-apis.js';
import { renderCheckTable } from '../../check-report/terminal-table.js';
import { checkFolderName, writeCheckReport } from '../../check-report/write-check-report.js';
import { loadManifests } from '../../kube/manifests.js';
import { readTwinFile } from '../../twin/parse-twin.js';
import { UsageError } from '../../util/errors.js';
import { parseCountFlag, parseVersionFlag } from './common-options.js';
import { snapshotContext } from './snapshot-command.js';

interface CheckArgs {
  twin?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
  daemonset?: string;
  'fail-on': string;
  'report-dir'?: string;
  manifests?: string;
  'kubernetes-version'?: string;
  'ready-seconds': string;
}

/** Every .yaml/.yml/.json file under `dir`, sorted. */
function manifestFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new UsageError(`--manifests: ${dir} is not a readable folder`);
  }
  return entries.sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifestFiles(path);
    return /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

/** The apiVersion/kind/name of every object in the manifest files. */
function readManifests(files: string[]): ManifestObject[] {
  return files.flatMap((file) => loadManifests(file, process.cwd(), file).objects
    .map((o) => ({ file, apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata?.name ?? '' })));
}

export function checkCommand(setExit: (code: number) => void, version: string): CommandModule<object, CheckArgs> {
  return {
    command: 'check [twin]',
    describe: "Predict each DaemonSet's coverage and rollout risk from a twin file or a live context (read-only)",
    builder: (y) =>
      y
        .positional('twin', { type: 'string', describe: 'A twin file written by `rollcall snapshot` (or by hand)' })
        .option('context', { type: 'string', describe: 'Check a live context instead of a file (read-only)' })
        .option('kubeconfig', { type: 'string', describe: 'With --context: kubeconfig file (default $KUBECONFIG or ~/.kube/config)' })
        .option('namespace', { type: 'string', array: true, describe: 'With --context: only these namespaces' })
        .option('daemonset', { type: 'string', describe: 'Only this DaemonSet (namespace/name)' })
        .option('fail-on', { type: 'string', default: 'error', describe: 'Exit 1 when a finding is at least this severe: warning or error' })
        .option('report-dir', { type: 'string', describe: 'Where check.json, index.html and junit.xml go (default reports/check-<time>)' })
        .option('manifests', { type: 'string', describe: 'Folder of manifests to check for removed apiVersions' })
        .option('kubernetes-version', { type: 'string', describe: 'Target release of the upgrade, e.g. 1.36.3 (removed apiVersions)' })
        .option('ready-seconds', { type: 'string', default: '10', describe: 'Seconds a new daemon pod takes to become Ready, for the rollout estimate' }) as never,
    handler: async (args) => {
      if (args.twin && args.context) throw new UsageError('check: give a twin file or --context, not both');
      if (!args.twin && !args.context) throw new UsageError('check: give a twin file (from rollcall snapshot) or --context CTX');
      if (args.twin && (args.kubeconfig || args.namespace)) throw new UsageError('--kubeconfig/--namespace: only used with --context');
      if (!(['warning', 'error'] as string[]).includes(args['fail-on'])) throw new UsageError(`--fail-on: "${args['fail-on']}" is not warning or error`);
      if (args.daemonset !== undefined && !/^[^/]+\/[^/]+$/.test(args.daemonset)) throw new UsageError(`--daemonset: "${args.daemonset}" is not namespace/name`);
      const targetVersion = args['kubernetes-version'] ? parseVersionFlag(args['kubernetes-version']) : undefined;
      const readySeconds = parseCountFlag('ready-seconds', args['ready-seconds']);
      const files = args.manifests ? manifestFiles(args.manifests) : [];
      const manifests = readManifests(files);
      const twin = args.twin ? readTwinFile(args.twin) : await snapshotContext(args, 'with check when no twin file is given', version);
      const report = checkTwin(twin, {
        source: args.twin ?? `context ${args.context}`,
        daemonSet: args.daemonset,
        failOn: args['fail-on'] as Severity,
        assumedReadySeconds: readySeconds,
        targetVersion,
        manifests,
        manifestFiles: files,
      });
      const dir = await writeCheckReport(report, resolve(args['report-dir'] ?? join('reports', checkFolderName(new Date()))));
      process.stdout.write(renderCheckTable(report, dir));
      setExit(report.failed ? 1 : 0);
    },
  };
}
