// `rollcall record (--context CTX | --cluster NAME) -o incident.rec`: a read-only recording of DaemonSets and their nodes.
import type { CommandModule } from 'yargs';
import { openRecordTarget } from '../../record/record-target.js';
import { recordCluster } from '../../record/record-session.js';
import { durationIn } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';

interface RecordArgs {
  context?: string;
  kubeconfig?: string;
  cluster?: string;
  namespace?: string;
  daemonset?: string[];
  for?: string;
  anonymize?: boolean;
  output?: string;
  force?: boolean;
}

export function recordCommand(version: string): CommandModule<object, RecordArgs> {
  return {
    command: 'record',
    describe: 'Record nodes and DaemonSets (pods, revisions, events, PDBs) change by change into a file replay reads (get/list/watch only)',
    builder: (y) =>
      y
        .option('context', { type: 'string', describe: 'The kubeconfig context to watch (never the current one implicitly)' })
        .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default $KUBECONFIG or ~/.kube/config)' })
        .option('cluster', { type: 'string', describe: 'A cluster rollcall created (rollcall cluster list), instead of --context' })
        .option('namespace', { type: 'string', describe: 'Only DaemonSets in this namespace (default all)' })
        .option('daemonset', { type: 'string', array: true, describe: 'Only these DaemonSets, by name (repeatable; default all in scope)' })
        .option('for', { type: 'string', nargs: 1, describe: 'Stop after this long (e.g. 30m); default: until Ctrl-C' })
        .option('anonymize', { type: 'boolean', describe: 'Rename nodes per pool and hash label values, as snapshot --anonymize' })
        .option('force', { type: 'boolean', describe: 'Overwrite the output file if it exists' })
        .option('output', { alias: 'o', type: 'string', describe: 'Recording file to write, e.g. incident.rec' }) as never,
    handler: async (args) => {
      if (!args.output) throw new UsageError('--output (-o): required, e.g. -o incident.rec');
      const forMs = args.for === undefined ? undefined : durationIn(undefined, args.for, '--for');
      await recordCluster({
        target: openRecordTarget(args),
        output: args.output,
        namespace: args.namespace,
        daemonSets: args.daemonset ?? [],
        forMs,
        anonymize: args.anonymize,
        force: args.force,
        rollcallVersion: version,
        progress: stderrProgress(),
      });
    },
  };
}
