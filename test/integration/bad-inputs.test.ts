// Bad input, one case a row: scenario files, kind configs, manifests, twin files, recordings,
// reports and the flags of every command. Each must exit 2 with ONE line on stderr naming the file
// and the field or flag, no stack trace, and leave nothing behind. Whatever can be checked without a
// cluster runs on a cold machine (an empty cache, no Go on PATH): rollcall must refuse it before it
// builds or starts anything, so that cache stays empty. The rest (mistakes a scenario makes only
// while it runs) run on one kwok cluster through `--provider existing`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listRecords } from '../../src/providers/registry.js';
import { cacheLayout } from '../../src/toolchain/cache-dir.js';
import { processesMentioning } from '../../src/util/processes.js';
import { main } from '../../src/cli/main.js';
import { rollcall } from '../support/cli.js';
import { coldEnv, pathWithoutGo } from '../support/cold-env.js';
import { existingClusterForFile } from '../support/kwok-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const F = 'test/fixtures/bad-inputs';
const SC = `${F}/scenarios`;
const VALID_SCENARIO = `${F}/valid-scenario.ts`;
const TWIN = `${F}/twins/valid.yaml`;
const REC = `${F}/recordings/valid.rec`;
const OUT = tempDir('rollcall-bad-inputs-');
const missingOut = join(OUT, 'never-written.ts');

/**
 * One bad input: the arguments, what the error line must name (the file, the field or flag), and
 * the meaningful part of the message. `via`: `in-process` calls the CLI's main() here (fast, and
 * the same code as the binary after its loader); `cli` runs the real binary where the loader
 * matters (scenario files that do not import) or the run would exit the process; `cluster` runs the
 * binary on the test's kwok cluster. `absent`: a file the command must not have written.
 */
interface Case {
  name: string;
  args: string[] | (() => string[]);
  names: string[];
  message: RegExp;
  via?: 'in-process' | 'cli' | 'cluster';
  absent?: string;
}

const scenario = (file: string, names: string[], message: RegExp, via?: Case['via']): Case => ({
  name: `run ${file}`, args: ['run', `${SC}/${file}`], names: [`${SC}/${file}`, ...names], message, via,
});
const kindConfig = (config: string, field: string, message: RegExp): Case => ({
  name: `run with kind config ${config}`, args: ['run', `${SC}/kind-${config.replace('.yaml', '.ts')}`], names: [`${F}/kind-configs/${config}`, field], message,
});
const check = (file: string, names: string[], message: RegExp): Case => ({ name: `check ${file}`, args: ['check', `${F}/twins/${file}`, '--report-dir', OUT], names: [`${F}/twins/${file}`, ...names], message });
const replay = (file: string, names: string[], message: RegExp): Case => ({ name: `replay ${file}`, args: ['replay', `${F}/recordings/${file}`, '-o', missingOut], names: [`${F}/recordings/${file}`, ...names], message, absent: missingOut });

const CASES: Case[] = [
  // Scenario files: what a scenario author gets wrong before anything runs.
  scenario('syntax-error.ts', ['line 7, column 3'], /cannot load the scenario: syntax error at line 7, column 3: Expected "}" but found "async"$/, 'cli'),
  scenario('missing-import.ts', ['no-such-module.js'], /cannot load the scenario: Cannot find module '.*\/src\/no-such-module\.js'/, 'cli'),
  scenario('throws-on-import.ts', [], /: cannot load the scenario: ROLLCALL_NO_SUCH_VARIABLE is not set$/, 'cli'),
  scenario('no-default-export.ts', ['default export'], /the default export is not a scenario \(write: export default defineScenario/),
  scenario('plain-object.ts', ['default export'], /the default export is not a scenario/),
  scenario('default-function.ts', ['default export'], /the default export is not a scenario/),
  scenario('missing-name.ts', ['name'], /: name is missing$/),
  scenario('name-not-string.ts', ['"name"'], /field "name" must be a non-empty string, got 42$/),
  scenario('missing-run.ts', ['run'], /: run must be an async function$/),
  scenario('run-not-function.ts', ['run'], /: run must be an async function$/),
  scenario('missing-cluster.ts', ['cluster.nodes'], /cluster\.nodes \(or cluster\.config, a kind config file\) is missing$/),
  scenario('nodes-negative.ts', ['cluster.nodes'], /cluster\.nodes: -1 is not a node count between 0 and 5000$/),
  scenario('nodes-string.ts', ['cluster.nodes'], /cluster\.nodes: expected a number or a list of nodes$/),
  scenario('nodes-and-config.ts', ['"cluster"'], /field "cluster": give either nodes or config, not both$/),
  scenario('config-missing.ts', ['"cluster.config"', `${F}/kind-configs/no-such-file.yaml`], /does not exist$/),
  scenario('timeout-words.ts', ['timeout'], /timeout: "5 minutes" is not a duration/),
  scenario('timeout-negative.ts', ['timeout'], /timeout: "-1s" is not a duration/),
  scenario('timeout-empty.ts', ['timeout'], /timeout: "" is not a duration/),
  scenario('requires-unknown.ts', ['"requires"'], /field "requires": "node-teleport" is not one of node-add, /),
  scenario('requires-not-list.ts', ['"requires"'], /field "requires" must be a list of capabilities/),
  scenario('tags-not-list.ts', ['"tags"'], /field "tags" must be a list of strings$/),
  scenario('node-name-invalid.ts', ['cluster.nodes[0].name'], /"Worker_1" is not a valid node name/),
  scenario('node-name-twice.ts', ['cluster.nodes[1].name'], /node "pool-a" already exists$/),
  scenario('taint-effect.ts', ['cluster.nodes[0].taints'], /effect "NoWay" of taint "gpu" is not NoSchedule, PreferNoSchedule or NoExecute$/),
  {
    name: 'run two files with one scenario name', args: ['run', `${SC}/duplicate-name-a.ts`, `${SC}/duplicate-name-b.ts`],
    names: [`${SC}/duplicate-name-b.ts`, `${SC}/duplicate-name-a.ts`], message: /duplicate-name-b\.ts: name "same name" is already used by /,
  },
  { name: 'run a folder without scenarios', args: ['run', `${F}/empty-folder`], names: [`${F}/empty-folder`], message: /: no scenario files \(\*\.ts\) in this folder$/ },
  { name: 'run a file that is not a scenario file', args: ['run', `${F}/README.md`], names: [`${F}/README.md`], message: /: a scenario file must be \.ts or \.js$/ },
  { name: 'run a file that does not exist', args: ['run', `${SC}/no-such-scenario.ts`], names: [`${SC}/no-such-scenario.ts`], message: /: no such file or folder$/ },

  // Kind configs a scenario names: checked before any cluster, on every provider.
  kindConfig('not-yaml.yaml', 'not valid YAML', /not valid YAML: All sequence items must start at the same column/),
  kindConfig('wrong-api-version.yaml', '"apiVersion"', /field "apiVersion" must be "kind\.x-k8s\.io\/v1alpha4"$/),
  kindConfig('wrong-kind.yaml', '"kind"', /field "kind" must be "Cluster"$/),
  kindConfig('unknown-role.yaml', '"nodes[1].role"', /is "gpu-worker": must be "control-plane" or "worker"$/),
  kindConfig('bad-patch.yaml', '"nodes[1].kubeadmConfigPatches[0]"', /is not valid YAML: /),
  kindConfig('bad-patch-taint.yaml', 'nodeRegistration.taints[0].effect', /is "NoWay": must be one of NoSchedule, PreferNoSchedule, NoExecute$/),
  kindConfig('patch-not-string.yaml', '"nodes[1].kubeadmConfigPatches[0]"', /must be a YAML string$/),
  kindConfig('no-nodes.yaml', '"nodes"', /field "nodes" must be a non-empty list$/),

  // rollcall run: flags.
  { name: 'run --provider docker', args: ['run', VALID_SCENARIO, '--provider', 'docker'], names: ['--provider', 'docker'], message: /is not one of kwok, kind, existing$/ },
  { name: 'run --api-limits unlimited', args: ['run', VALID_SCENARIO, '--api-limits', 'unlimited'], names: ['--api-limits', 'unlimited'], message: /is not one of lifted, production$/ },
  { name: 'run --jobs 0', args: ['run', VALID_SCENARIO, '--jobs', '0'], names: ['--jobs', '"0"'], message: /is not a whole number >= 1$/ },
  { name: 'run --kubernetes-version latest', args: ['run', VALID_SCENARIO, '--kubernetes-version', 'latest'], names: ['--kubernetes-version', 'latest'], message: /is not a Kubernetes release/ },
  { name: 'run --context without --provider existing', args: ['run', VALID_SCENARIO, '--context', 'prod'], names: ['--context'], message: /only used with --provider existing$/ },
  { name: 'run --provider existing without --context', args: ['run', VALID_SCENARIO, '--provider', 'existing'], names: ['--context'], message: /required/ },
  {
    name: 'run --provider existing --kubeconfig that does not exist', args: ['run', VALID_SCENARIO, '--provider', 'existing', '--context', 'prod', '--kubeconfig', `${F}/no-such-kubeconfig`],
    names: ['--kubeconfig', 'no-such-kubeconfig'], message: /does not exist$/,
  },
  { name: 'run --grep that matches nothing', args: ['run', VALID_SCENARIO, '--grep', 'no-such-scenario'], names: ['--grep', 'no-such-scenario'], message: /no scenario matches "no-such-scenario" \(have: valid scenario\)$/ },
  { name: 'run --report-dir that is a file', args: ['run', VALID_SCENARIO, '--report-dir', `${F}/README.md`], names: ['--report-dir', `${F}/README.md`], message: /is a file, not a folder$/ },
  { name: 'run an unknown flag', args: ['run', VALID_SCENARIO, '--frobnicate'], names: ['frobnicate'], message: /Unknown argument: frobnicate$/ },

  // rollcall check: twin files and flags.
  check('not-yaml.yaml', ['line 5, column 1'], /not valid YAML \(All mapping items must start at the same column\)$/),
  check('truncated.yaml', ['line 7, column 1'], /not valid YAML \(Flow map in block collection must be sufficiently indented and end with a }\)$/),
  check('wrong-version.yaml', ['apiVersion'], /"rollcall\.dev\/v1beta9" is not supported \(this rollcall reads rollcall\.dev\/v1alpha1\)$/),
  check('missing-nodes.yaml', ['nodes'], /nodes: required \(a list\)$/),
  check('nodes-not-list.yaml', ['nodes'], /nodes: expected a list, got string "three"$/),
  check('bad-quantity.yaml', ['nodes[0].allocatable.cpu'], /"lots" is not a quantity/),
  check('empty.yaml', ['(top level)'], /required \(a mapping\)$/),
  { name: 'check a twin that does not exist', args: ['check', `${F}/twins/no-such-twin.yaml`], names: [`${F}/twins/no-such-twin.yaml`], message: /cannot read the twin \(ENOENT\)$/ },
  { name: 'check without a twin or --context', args: ['check'], names: ['twin file', '--context'], message: /check: give a twin file \(from rollcall snapshot\) or --context CTX$/ },
  { name: 'check a twin and --context', args: ['check', TWIN, '--context', 'prod'], names: ['--context'], message: /not both$/ },
  { name: 'check --kubeconfig with a twin', args: ['check', TWIN, '--kubeconfig', 'kc.yaml'], names: ['--kubeconfig'], message: /only used with --context$/ },
  { name: 'check --fail-on never', args: ['check', TWIN, '--fail-on', 'never'], names: ['--fail-on', 'never'], message: /is not warning or error$/ },
  { name: 'check --daemonset without a namespace', args: ['check', TWIN, '--daemonset', 'log-agent'], names: ['--daemonset', 'log-agent'], message: /is not namespace\/name$/ },
  { name: 'check --ready-seconds soon', args: ['check', TWIN, '--ready-seconds', 'soon'], names: ['--ready-seconds', 'soon'], message: /is not a whole number$/ },
  { name: 'check --manifests that does not exist', args: ['check', TWIN, '--manifests', `${F}/no-such-folder`], names: ['--manifests', 'no-such-folder'], message: /is not a readable folder$/ },
  { name: 'check --kubernetes-version 2.0', args: ['check', TWIN, '--kubernetes-version', '2.0'], names: ['--kubernetes-version', '2.0'], message: /is not a Kubernetes release/ },

  // rollcall snapshot.
  { name: 'snapshot without -o', args: ['snapshot', '--context', 'prod'], names: ['--output'], message: /required, e\.g\. -o twin\.yaml/ },
  { name: 'snapshot without --context', args: ['snapshot', '-o', join(OUT, 'twin.yaml')], names: ['--context'], message: /required with snapshot/, absent: join(OUT, 'twin.yaml') },
  { name: 'snapshot --kubeconfig that does not exist', args: ['snapshot', '-o', join(OUT, 'twin.yaml'), '--context', 'prod', '--kubeconfig', `${F}/no-such-kubeconfig`], names: ['--kubeconfig', 'no-such-kubeconfig'], message: /does not exist$/ },

  // rollcall record.
  { name: 'record without -o', args: ['record', '--context', 'prod'], names: ['--output'], message: /required, e\.g\. -o incident\.rec$/ },
  { name: 'record without --context or --cluster', args: ['record', '-o', join(OUT, 'x.rec')], names: ['--context', '--cluster'], message: /never records the current context implicitly/ },
  { name: 'record --context and --cluster', args: ['record', '-o', join(OUT, 'x.rec'), '--context', 'prod', '--cluster', 'c'], names: ['--cluster', '--context'], message: /not both$/ },
  { name: 'record --cluster rollcall did not create', args: ['record', '-o', join(OUT, 'x.rec'), '--cluster', 'not-ours'], names: ['--cluster', 'not-ours'], message: /is not a cluster rollcall created on this machine/, absent: join(OUT, 'x.rec') },
  { name: 'record --for "5 minutes"', args: ['record', '-o', join(OUT, 'x.rec'), '--context', 'prod', '--for', '5 minutes'], names: ['--for', '5 minutes'], message: /is not a duration/ },
  { name: 'record --for -1s', args: ['record', '-o', join(OUT, 'x.rec'), '--context', 'prod', '--for', '-1s'], names: ['--for', '-1s'], message: /is not a duration/ },
  { name: 'record --for ""', args: ['record', '-o', join(OUT, 'x.rec'), '--context', 'prod', '--for', ''], names: ['--for', '""'], message: /is not a duration/ },

  // rollcall replay: recordings and flags.
  replay('truncated.rec', ['line 2'], /line 2: cut short \(Unterminated string in JSON/),
  replay('wrong-version.rec', ['line 1', 'apiVersion'], /"rollcall\.dev\/v1beta7" is not supported \(this rollcall reads rollcall\.dev\/v1alpha1\)$/),
  replay('missing-started-at.rec', ['line 1', 'startedAt'], /startedAt: required \(a string\)$/),
  replay('missing-twin.rec', ['line 2', 'kind'], /line 2: kind: null is not Twin$/),
  replay('unknown-kind.rec', ['line 3', 'kind'], /kind: "Deployment" is not one of Node, Pod, DaemonSet/),
  replay('time-goes-back.rec', ['line 4', 't'], /t: 1000 goes back in time \(the line before is at 3000\)$/),
  replay('not-json.rec', [], /not a rollcall recording \(JSON lines from rollcall record\), a report\.json or a KWOK snapshot record file$/),
  replay('empty.rec', [], /not a rollcall recording/),
  { name: 'replay without a recording', args: ['replay'], names: ['<recording>'], message: /replay: <recording> is missing \(usage: rollcall replay <recording>\)$/ },
  { name: 'replay a recording that does not exist', args: ['replay', `${F}/recordings/no-such.rec`], names: [`${F}/recordings/no-such.rec`], message: /cannot read the recording \(ENOENT\)$/ },
  { name: 'replay --speed 0', args: ['replay', REC, '--speed', '0', '-o', missingOut], names: ['--speed', '"0"'], message: /is not a positive number$/, absent: missingOut },
  { name: 'replay --speed fast', args: ['replay', REC, '--speed', 'fast', '-o', missingOut], names: ['--speed', 'fast'], message: /is not a positive number$/, absent: missingOut },
  { name: 'replay --tolerance soon', args: ['replay', REC, '--tolerance', 'soon', '-o', missingOut], names: ['--tolerance', 'soon'], message: /is not a duration/, absent: missingOut },
  { name: 'replay --from yesterday', args: ['replay', REC, '--from', 'yesterday', '-o', missingOut], names: ['--from', 'yesterday'], message: /is not a duration .* or an RFC 3339 time$/, absent: missingOut },
  { name: 'replay --to -5s', args: ['replay', REC, '--to', '-5s', '-o', missingOut], names: ['--to', '-5s'], message: /is not a duration/, absent: missingOut },
  { name: 'replay --manifest that does not exist', args: ['replay', REC, '--manifest', `${F}/manifests/no-such.yaml`, '-o', missingOut], names: ['--manifest', 'no-such.yaml'], message: /manifest file not found/, absent: missingOut },
  { name: 'replay --manifest without a DaemonSet', args: ['replay', REC, '--manifest', `${F}/manifests/deployment.yaml`, '-o', missingOut], names: ['--manifest', 'deployment.yaml'], message: /no DaemonSet in the file \(found Deployment web\)$/, absent: missingOut },
  { name: 'replay -o onto a file that exists', args: ['replay', REC, '-o', `${F}/README.md`], names: ['-o', `${F}/README.md`], message: /the file exists \(pass --force to overwrite it\)$/ },
  { name: 'replay --run --provider docker', args: ['replay', REC, '--run', '--provider', 'docker', '-o', missingOut], names: ['--provider', 'docker'], message: /is not one of kwok, kind$/, absent: missingOut },

  // rollcall rehearse.
  { name: 'rehearse without a twin or --context', args: ['rehearse'], names: ['twin file', '--context'], message: /give a twin file \(from rollcall snapshot\) or --context CTX$/ },
  { name: 'rehearse a twin and --context', args: ['rehearse', TWIN, '--context', 'prod'], names: ['--context'], message: /not both$/ },
  { name: 'rehearse a twin of another version', args: ['rehearse', `${F}/twins/wrong-version.yaml`], names: [`${F}/twins/wrong-version.yaml`, 'apiVersion'], message: /is not supported/ },
  { name: 'rehearse --max-nodes-per-pool 0', args: ['rehearse', TWIN, '--max-nodes-per-pool', '0'], names: ['--max-nodes-per-pool', '"0"'], message: /is not a whole number >= 1$/ },
  { name: 'rehearse --jobs many', args: ['rehearse', TWIN, '--jobs', 'many'], names: ['--jobs', 'many'], message: /is not a whole number >= 1$/ },
  { name: 'rehearse --against the target version', args: ['rehearse', TWIN, '--against', '1.36.3'], names: ['--against', '1.36.3'], message: /is the target version too/ },
  { name: 'rehearse --against old', args: ['rehearse', TWIN, '--against', 'old'], names: ['--against', 'old'], message: /is not a Kubernetes release/ },
  { name: 'rehearse --daemonset without a namespace', args: ['rehearse', TWIN, '--daemonset', 'logging'], names: ['--daemonset', 'logging'], message: /is not namespace\/name$/ },
  { name: 'rehearse --daemonset not in the twin', args: ['rehearse', TWIN, '--daemonset', 'logging/fluent-bit'], names: ['--daemonset', 'logging/fluent-bit'], message: /is not in the twin \(DaemonSets: logging\/log-agent\)$/ },

  // rollcall init.
  { name: 'init --daemonset that does not exist', args: () => ['init', join(tempDir('rollcall-init-'), 'repo'), '--daemonset', `${F}/manifests/no-such.yaml`], names: [`${F}/manifests/no-such.yaml`], message: /manifest file not found/ },
  { name: 'init --daemonset without a DaemonSet', args: () => ['init', join(tempDir('rollcall-init-'), 'repo'), '--daemonset', `${F}/manifests/deployment.yaml`], names: [`${F}/manifests/deployment.yaml`], message: /no DaemonSet in the file \(found Deployment web\)$/ },
  { name: 'init --daemonset that is not YAML', args: () => ['init', join(tempDir('rollcall-init-'), 'repo'), '--daemonset', `${F}/manifests/not-yaml.yaml`], names: [`${F}/manifests/not-yaml.yaml`, 'document 1'], message: /is not valid YAML/ },
  { name: 'init into a file', args: ['init', `${F}/README.md`], names: [`${F}/README.md`], message: /: not a folder$/ },

  // rollcall cluster.
  { name: 'cluster without a subcommand', args: ['cluster'], names: ['<command>'], message: /cluster: <command> is missing \(create, list, delete\)/ },
  { name: 'cluster create --nodes three', args: ['cluster', 'create', '--nodes', 'three'], names: ['--nodes', 'three'], message: /is not a whole number$/ },
  { name: 'cluster create --name BAD_NAME', args: ['cluster', 'create', '--name', 'BAD_NAME'], names: ['--name', 'BAD_NAME'], message: /use 1-40 lowercase letters, digits and '-'$/ },
  { name: 'cluster create --api-limits unlimited', args: ['cluster', 'create', '--api-limits', 'unlimited'], names: ['--api-limits', 'unlimited'], message: /is not one of lifted, production$/ },
  { name: 'cluster delete without a name', args: ['cluster', 'delete'], names: ['<name>'], message: /cluster delete: <name> is missing \(usage: rollcall cluster delete <name>\)$/ },
  { name: 'cluster delete a cluster rollcall did not create', args: ['cluster', 'delete', 'not-ours'], names: ['not-ours'], message: /was not created by rollcall on this machine/ },

  // rollcall gc, report, setup, and no command at all.
  { name: 'gc --force', args: ['gc', '--force'], names: ['force'], message: /Unknown argument: force$/ },
  { name: 'gc with an argument', args: ['gc', 'rollcall-1234'], names: ['rollcall-1234'], message: /Unknown argument: rollcall-1234$/ },
  { name: 'report without a folder', args: ['report'], names: ['<dir>'], message: /report: <dir> is missing/ },
  { name: 'report a folder without reports', args: ['report', `${F}/empty-folder`], names: [`${F}/empty-folder`], message: /no report\.json here, and no run folders with one/ },
  { name: 'report a cut report.json', args: ['report', `${F}/reports/truncated`], names: [`${F}/reports/truncated/report.json`], message: /not valid JSON \(Unterminated string/ },
  { name: 'report a report.json of another schema', args: ['report', `${F}/reports/wrong-schema`], names: [`${F}/reports/wrong-schema/report.json`, 'schemaVersion 99'], message: /is not supported \(this rollcall reads 1\)$/ },
  { name: 'setup --kubernetes-version x', args: ['setup', '--kubernetes-version', 'x'], names: ['--kubernetes-version', '"x"'], message: /is not a Kubernetes release/ },
  { name: 'an unknown command, through the binary', args: ['frobnicate'], names: ['frobnicate'], message: /Unknown argument: frobnicate$/, via: 'cli' },

  // Mistakes a scenario makes while it runs: one line too, and its namespace is gone afterwards.
  ...[
    ['within-words.ts', ['within'], /within: "5 minutes" is not a duration/],
    ['holds-for-negative.ts', ['holdsFor'], /holdsFor: "-1s" is not a duration/],
    ['within-empty.ts', ['within'], /within: "" is not a duration/],
    ['unknown-node.ts', ['worker-9'], /node "worker-9" does not exist/],
    ['manifest-not-yaml.ts', ['../manifests/not-yaml.yaml', 'document 1'], /is not valid YAML/],
    ['manifest-no-daemonset.ts', ['../manifests/deployment.yaml'], /no DaemonSet in the file \(found Deployment web\)$/],
    ['manifest-two-daemonsets.ts', ['../manifests/two-daemonsets.yaml', '{ name }'], /the file has 2 DaemonSets \(log-agent, node-metrics\): say which with \{ name \}$/],
    ['manifest-wrong-name.ts', ['../manifests/two-daemonsets.yaml', 'name'], /no DaemonSet "fluent-bit" in the file \(DaemonSets: log-agent, node-metrics\)$/],
    ['manifest-missing.ts', ['../manifests/no-such-file.yaml'], /manifest file not found/],
    ['manifest-containers-not-list.ts', ['../manifests/containers-not-list.yaml', 'spec.template.spec.containers'], /must be a list, got "busybox:1\.36"$/],
  ].map(([file, names, message]): Case => ({
    name: `run ${file} (found while it runs)`, args: ['run', `${F}/runtime/${file}`], names: [`${F}/runtime/${file}`, ...(names as string[])], message: message as RegExp, via: 'cluster',
  })),
];

interface Outcome {
  exitCode: number | undefined;
  stderr: string;
  cache: string;
  /** What the command left in its cache folder (nothing, for a command refused before it started). */
  cacheEntries: string[];
  /** Processes whose command line names the cache: whatever the command started and left running. */
  processes: number[];
}

/** Runs main() here with stdout and stderr captured; cases run one at a time (the streams are shared). */
async function inProcess(args: string[], env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  const saved = { ROLLCALL_CACHE: process.env.ROLLCALL_CACHE, PATH: process.env.PATH, write: { out: process.stdout.write, err: process.stderr.write } };
  let stderr = '';
  Object.assign(process.env, env);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return { exitCode: await main(args), stderr };
  } finally {
    process.stdout.write = saved.write.out;
    process.stderr.write = saved.write.err;
    for (const k of ['ROLLCALL_CACHE', 'PATH'] as const) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** Runs `work` over `items`, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const cluster = existingClusterForFile(1);
const outcomes = new Map<string, Outcome>();
let elapsedMs = 0;

describe('bad input: exit 2, one line naming the file and field, nothing started or left', () => {
  beforeAll(async () => {
    const started = performance.now();
    const run = async (c: Case) => {
      const { cache, env } = coldEnv();
      const args = typeof c.args === 'function' ? c.args() : c.args;
      const r = c.via === 'cli' || c.via === 'cluster'
        ? await rollcall(c.via === 'cluster' ? [...args, ...cluster.args()] : args, { env, timeout: 120_000 })
        : await inProcess(args, env);
      outcomes.set(c.name, { exitCode: r.exitCode, stderr: r.stderr, cache, cacheEntries: readdirSync(cache), processes: processesMentioning(cache) });
    };
    // The binary's cases two at a time (each is a Node start), the rest here one after another meanwhile.
    await Promise.all([
      pool(CASES.filter((c) => c.via === 'cli' || c.via === 'cluster'), 2, run),
      pool(CASES.filter((c) => !c.via || c.via === 'in-process'), 1, run),
    ]);
    elapsedMs = performance.now() - started;
  }, 150_000);

  afterAll(() => {
    process.stderr.write(`bad-inputs: ${CASES.length} cases in ${(elapsedMs / 1000).toFixed(1)} s\n`);
  });

  it('has at least 50 cases, each with its own name', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = outcomes.get(c.name)!;
    expect(o.exitCode, o.stderr).toBe(2);
    const lines = o.stderr.trim().split('\n');
    expect(lines, o.stderr).toHaveLength(1);
    const line = lines[0]!;
    expect(line.startsWith('rollcall: error: '), line).toBe(true);
    for (const n of c.names) expect(line, `the line names ${n}`).toContain(n);
    expect(line).toMatch(c.message);
    expect(o.stderr).not.toMatch(/^\s+at /m);
    expect(o.stderr).not.toMatch(/\b\w*Error: /);
    // Nothing was built, recorded or started: refused before the toolchain was even looked at.
    if (c.via !== 'cluster') expect(o.cacheEntries).toEqual([]);
    expect(listRecords(cacheLayout(o.cache).registry)).toEqual([]);
    expect(o.processes).toEqual([]);
    if (c.absent) expect(existsSync(c.absent), `${c.absent} was written`).toBe(false);
  });

  it('leaves no namespace behind on the cluster the runtime cases ran on', async () => {
    const namespaces = await cluster.cluster().kube.core.listNamespace({ labelSelector: 'app.kubernetes.io/managed-by=rollcall' });
    expect(namespaces.items.filter((n) => n.status?.phase !== 'Terminating').map((n) => n.metadata?.name)).toEqual([]);
  });
});

// PATH without Go is computed once per file; make sure it really has none (or every cold case would prove nothing).
it('the cold environment has no go on PATH', () => {
  expect(pathWithoutGo().split(':').some((d) => existsSync(join(d, 'go')))).toBe(false);
});
