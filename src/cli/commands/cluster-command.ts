// `rollcall cluster create|list|delete`: throwaway clusters by hand, e.g. to reproduce an incident.
import type { Argv, CommandModule } from 'yargs';
import { ensureToolchain, locateToolchain } from '../../toolchain/toolchain.js';
import { checkClusterName, createKwokCluster, deleteKwokCluster, uniqueClusterName } from '../../providers/kwok/kwok-provider.js';
import { listRecords, readRecord } from '../../providers/registry.js';
import { deleteKindRunCluster } from '../../providers/kind/kind-run-cluster.js';
import { clusterDir, readPids } from '../../providers/kwok/kwokctl.js';
import { CleanupStack } from '../../runner/cleanup-stack.js';
import { UsageError } from '../../util/errors.js';
import { isRunning } from '../../util/processes.js';
import { guardSignals } from '../../util/signals.js';
import { stderrProgress } from '../../util/progress.js';
import { apiLimitsOption, parseApiLimitsFlag, kubernetesVersionOption, parseCountFlag, parseVersionFlag } from './common-options.js';

interface CreateArgs {
  nodes: string;
  name?: string;
  json?: boolean;
  'kubernetes-version': string;
  'api-limits': string;
}

const create: CommandModule<object, CreateArgs> = {
  command: 'create',
  describe: 'Start a kwok cluster that stays up until `rollcall cluster delete`',
  builder: (y) =>
    y
      .option('nodes', { type: 'string', default: '3', describe: 'Number of simulated nodes' })
      .option('name', { type: 'string', describe: 'Cluster name (default: a unique rollcall-<hex>)' })
      .option('json', { type: 'boolean', describe: 'Print one JSON object: name, kubeconfig, provider, kubernetesVersion, nodes' })
      .option('kubernetes-version', kubernetesVersionOption)
      .option('api-limits', apiLimitsOption),
  handler: async (args) => {
    const nodeCount = parseCountFlag('nodes', args.nodes);
    const apiLimits = parseApiLimitsFlag(args['api-limits']);
    if (args.name !== undefined) checkClusterName(args.name, '--name:');
    const progress = stderrProgress();
    const tc = await ensureToolchain({ kubernetesVersion: parseVersionFlag(args['kubernetes-version']), progress });
    const name = args.name ?? uniqueClusterName();
    const cleanup = new CleanupStack();
    const release = cleanup.push(`delete cluster ${name}`, () => deleteKwokCluster(tc, name));
    const guard = guardSignals(cleanup, progress);
    try {
      const cluster = await createKwokCluster(tc, { name, nodes: nodeCount, persistent: true, apiLimits }, { progress, signal: guard.signal });
      release();
      const nodes = (await cluster.kube.core.listNode()).items.map((n) => n.metadata!.name!);
      const out = { name, provider: 'kwok', kubeconfig: cluster.kubeconfigPath, kubernetesVersion: `v${tc.kubernetesVersion}`, nodes };
      if (args.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else process.stdout.write(`cluster ${name} is up with ${nodes.length} node(s)\n  export KUBECONFIG=${cluster.kubeconfigPath}\n  rollcall cluster delete ${name}   # when done\n`);
    } catch (err) {
      await cleanup.runAll();
      throw err;
    } finally {
      guard.dispose();
    }
  },
};

const list: CommandModule<object, { json?: boolean }> = {
  command: 'list',
  describe: 'List the clusters rollcall created on this machine',
  builder: (y) => y.option('json', { type: 'boolean', describe: 'Print JSON' }),
  handler: async (args) => {
    // Reading records needs only the cache's paths: never build a toolchain to list nothing.
    const tc = locateToolchain();
    const rows = listRecords(tc.cache.registry).map((r) => {
      const running = r.provider === 'kwok' ? readPids(clusterDir(tc, r.name)).some(isRunning) : undefined;
      const owner = r.persistent ? 'kept' : isRunning(r.ownerPid) ? `run pid ${r.ownerPid}` : 'orphaned (rollcall gc)';
      return { ...r, running, owner };
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return;
    }
    if (!rows.length) {
      process.stdout.write('no clusters\n');
      return;
    }
    for (const r of rows) {
      process.stdout.write(`${r.name}\t${r.provider}\tv${r.kubernetesVersion}\t${r.running === false ? 'stopped' : 'running'}\t${r.owner}\t${r.createdAt}\t${r.kubeconfig}\n`);
    }
  },
};

const del: CommandModule<object, { name: string }> = {
  command: 'delete <name>',
  describe: 'Delete a cluster rollcall created (processes, files, record)',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true }) as Argv<{ name: string }>,
  handler: async (args) => {
    const progress = stderrProgress();
    // Deleting stops processes and removes folders: it needs the binaries only if they exist.
    const tc = locateToolchain();
    const rec = readRecord(tc.cache.registry, args.name);
    // Safety: only clusters rollcall itself created are ever deleted.
    if (!rec) throw new UsageError(`cluster "${args.name}" was not created by rollcall on this machine (see rollcall cluster list)`);
    if (rec.provider === 'kind') await deleteKindRunCluster(args.name, { progress, cacheRoot: tc.cache.root });
    else await deleteKwokCluster(tc, args.name);
    progress(`cluster ${args.name} deleted`);
  },
};

/** `cluster create`, `cluster list` and `cluster delete`. */
export const clusterSubcommands: CommandModule[] = [create, list, del] as CommandModule[];

export const clusterCommand: CommandModule = {
  command: 'cluster <command>',
  describe: 'Create, list and delete throwaway clusters',
  builder: (y) => clusterSubcommands.reduce((acc, c) => acc.command(c), y).demandCommand(1, 'name a cluster command: create, list or delete'),
  handler: () => {},
};
