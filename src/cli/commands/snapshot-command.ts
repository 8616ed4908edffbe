// `rollcall snapshot --context CTX -o twin.yaml`: captures a cluster into a ClusterTwin, read-only (get/list).
import type { CommandModule } from 'yargs';
import { writeFileSync } from 'node:fs';
import { resolveNamedContext } from '../../providers/existing/existing-cluster.js';
import { kubeClusterReader } from '../../snapshot/cluster-reader.js';
import { captureTwin } from '../../snapshot/capture-twin.js';
import { anonymizeTwin } from '../../snapshot/anonymize-twin.js';
import { serializeTwin } from '../../twin/serialize-twin.js';
import type { ClusterTwin } from '../../twin/twin-model.js';
import { UsageError } from '../../util/errors.js';

interface SnapshotArgs {
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
  anonymize?: boolean;
  output?: string;
}

/** Reads the twin of an explicitly named context; shared with `check --context`. */
export async function snapshotContext(args: { context?: string; kubeconfig?: string; namespace?: string[] }, usedWith: string, rollcallVersion: string): Promise<ClusterTwin> {
  const { context, kubeconfigPath } = resolveNamedContext({ context: args.context, kubeconfig: args.kubeconfig }, process.env, usedWith);
  return captureTwin(kubeClusterReader(kubeconfigPath, context), { context, namespaces: args.namespace, rollcallVersion });
}

export function snapshotCommand(version: string): CommandModule<object, SnapshotArgs> {
  return {
    command: 'snapshot',
    describe: 'Capture nodes, DaemonSets, daemon pods, PDBs and PriorityClasses of a cluster into a twin file (get/list only)',
    builder: (y) =>
      y
        .option('context', { type: 'string', describe: 'The kubeconfig context to read (required: never the current one implicitly)' })
        .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default $KUBECONFIG or ~/.kube/config)' })
        .option('namespace', { type: 'string', array: true, describe: 'Only DaemonSets and PDBs in these namespaces (repeatable; default all)' })
        .option('anonymize', { type: 'boolean', describe: 'Rename nodes per pool and hash label values (selectors still match)' })
        .option('output', { alias: 'o', type: 'string', describe: 'Twin file to write (- for stdout)' }) as never,
    handler: async (args) => {
      if (!args.output) throw new UsageError('--output (-o): required, e.g. -o twin.yaml (or - for stdout)');
      const started = performance.now();
      const captured = await snapshotContext(args, 'with snapshot', version);
      const twin = args.anonymize ? anonymizeTwin(captured) : captured;
      const text = serializeTwin(twin);
      if (args.output === '-') process.stdout.write(text);
      else writeFileSync(args.output, text, 'utf8');
      const pods = twin.daemonSets.reduce((n, d) => n + d.pods.length, 0);
      process.stderr.write(`rollcall: ${args.output === '-' ? 'twin written to stdout' : `wrote ${args.output}`}: ${twin.nodes.length} nodes, ${twin.daemonSets.length} DaemonSets, ${pods} daemon pods, `
        + `${twin.podDisruptionBudgets.length} PDBs (Kubernetes ${twin.serverVersion}${args.anonymize ? ', anonymized' : ''}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
