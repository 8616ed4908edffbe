// Kill storm: `rollcall run` killed 20 times at seeded random moments, with SIGINT or SIGKILL,
// while its cluster starts, while the scenario runs and while it tears down. A SIGINTed run must
// clean up by itself (exit 130); after `rollcall gc` nothing of any run is left: no rollcall or
// kwokctl process, no etcd/kube-apiserver/kwok process of their clusters, no cluster folder, no
// record, no temp file. ROLLCALL_KILL_SEED=<seed> replays one storm exactly as it was planned.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { clusterDir } from '../../src/providers/kwok/kwokctl.js';
import { listRecords } from '../../src/providers/registry.js';
import { commandLine, isRunning, processesMentioning } from '../../src/util/processes.js';
import { rollcall } from '../support/cli.js';
import { testToolchain } from '../support/kwok-fixture.js';
import { baseline, leftovers } from '../support/runs.js';
import { tempDir } from '../support/temp-dir.js';

const SEED = Number(process.env.ROLLCALL_KILL_SEED ?? 20261202);
const RUNS = 20;
const FIXTURE = 'test/fixtures/scenarios/faults/applies-and-sleeps.ts';

type Phase = 'cluster start' | 'scenario' | 'teardown';
type Signal = 'SIGINT' | 'SIGKILL';

/** What rollcall prints as each phase begins (stdout), and how long after it the kill may come. */
const PHASES: Record<Phase, { marker: RegExp; windowMs: number }> = {
  // The scenario's line comes just before its cluster starts (several seconds on 2 cores).
  'cluster start': { marker: /^▶ applies a DaemonSet and sleeps/m, windowMs: 4000 },
  // "applied" comes before a 3 s pause.
  scenario: { marker: /· applied$/m, windowMs: 2500 },
  // "done" ends the body: the taint's undo, the namespace and the cluster go next (about a second).
  teardown: { marker: /· done$/m, windowMs: 400 },
};

interface Kill {
  run: number;
  phase: Phase;
  signal: Signal;
  delayMs: number;
}

/** mulberry32: a small seeded generator, so that a failing storm can be planned again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every phase with both signals, over and over, shuffled; each kill at a random moment of its phase. */
function plan(seed: number): Kill[] {
  const rnd = random(seed);
  const combos = (Object.keys(PHASES) as Phase[]).flatMap((phase) => (['SIGINT', 'SIGKILL'] as Signal[]).map((signal) => ({ phase, signal })));
  const kills = Array.from({ length: RUNS }, (_, i) => combos[i % combos.length]!);
  for (let i = kills.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [kills[i], kills[j]] = [kills[j]!, kills[i]!];
  }
  return kills.map((k, run) => ({ run, ...k, delayMs: Math.round(rnd() * PHASES[k.phase].windowMs) }));
}

const describeKill = (k: Kill) => `run ${k.run}: ${k.signal} ${k.delayMs} ms into ${k.phase} (ROLLCALL_KILL_SEED=${SEED})`;

/** Resolves when the child's stdout has printed a line matching `re`. */
function waitForStdout(child: ResultPromise, re: RegExp, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no output matching ${re} within ${timeoutMs} ms; saw: ${seen}`)), timeoutMs);
    const onData = (b: Buffer) => {
      seen += b.toString();
      if (!re.test(seen)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
  });
}

/** What one killed run left right after it ended, before gc. */
interface Outcome {
  kill: Kill;
  pid: number;
  /** The clusters it recorded (seen in the registry while it ran). */
  clusters: string[];
  /** False when the run had ended before the signal came. */
  delivered: boolean;
  exitCode: number | undefined;
  signal: string | undefined;
  output: string;
}

/** Processes, folders and records of these clusters and this pid: what must be gone. */
function remains(tc: Awaited<ReturnType<typeof testToolchain>>, pid: number, clusters: string[]) {
  return {
    rollcall: isRunning(pid),
    processes: clusters.flatMap((c) => processesMentioning(`${clusterDir(tc, c)}/`)),
    kwokctl: processesMentioning(`${tc.kwokctl} `).filter((p) => clusters.some((c) => commandLine(p)?.includes(` --name ${c} `))),
    folders: clusters.filter((c) => existsSync(clusterDir(tc, c))),
    records: listRecords(tc.cache.registry).filter((r) => r.ownerPid === pid || clusters.includes(r.name)).map((r) => r.name),
  };
}
const NOTHING = { rollcall: false, processes: [], kwokctl: [], folders: [], records: [] };

/** Runs `work` over `items`, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

describe(`kill storm (seed ${SEED})`, () => {
  it(`${RUNS} runs killed with SIGINT or SIGKILL in every phase: SIGINT cleans up by itself (exit 130), gc reclaims the rest, nothing is left`, async () => {
    const tc = await testToolchain();
    const before = await baseline();
    const folders = () => (existsSync(join(tc.cache.kwokWorkdir, 'clusters')) ? readdirSync(join(tc.cache.kwokWorkdir, 'clusters')) : []);
    const foldersBefore = new Set(folders());
    // The runs' temp dir: anything rollcall, kwokctl or a component writes there must be gone.
    const tmp = tempDir('rollcall-kill-storm-tmp-');
    const reports = tempDir('rollcall-kill-storm-reports-');
    const kills = plan(SEED);
    const outcomes: Outcome[] = [];

    await pool(kills, 2, async (kill) => {
      const child = rollcall(['run', FIXTURE, '--report-dir', reports], { env: { TMPDIR: tmp }, timeout: 180_000 });
      const pid = child.pid!;
      const clusters = new Set<string>();
      const look = () => {
        for (const r of listRecords(tc.cache.registry)) if (r.ownerPid === pid) clusters.add(r.name);
      };
      const poll = setInterval(look, 50);
      try {
        await waitForStdout(child, PHASES[kill.phase].marker);
        await new Promise((r) => setTimeout(r, kill.delayMs));
        look();
        const delivered = child.exitCode === null && child.kill(kill.signal);
        const r = await child;
        const outcome: Outcome = { kill, pid, clusters: [...clusters], delivered, exitCode: r.exitCode, signal: r.signal, output: r.all ?? '' };
        outcomes.push(outcome);
        // A SIGINTed run cleans up everything itself, before any gc.
        if (kill.signal === 'SIGINT') {
          expect(outcome.exitCode, `${describeKill(kill)}: ${outcome.output}`).toBe(delivered ? 130 : 0);
          expect(remains(tc, pid, outcome.clusters), `${describeKill(kill)}: ${outcome.output}`).toEqual(NOTHING);
        } else if (delivered) {
          expect(outcome.signal, describeKill(kill)).toBe('SIGKILL');
        }
      } finally {
        clearInterval(poll);
      }
    });

    // What SIGKILLed runs left recorded: gc must name each of those clusters.
    const orphaned = outcomes.filter((o) => o.kill.signal === 'SIGKILL').flatMap((o) => remains(tc, o.pid, o.clusters).records.map((c) => ({ o, c })));
    const gc = await rollcall(['gc']);
    expect(gc.exitCode, gc.all).toBe(0);
    for (const o of outcomes) expect(remains(tc, o.pid, o.clusters), `${describeKill(o.kill)}; gc said: ${gc.stderr}`).toEqual(NOTHING);
    expect(await leftovers(before), `gc said: ${gc.stderr}`).toEqual({ processes: [], records: 0 });
    // Folders of clusters nobody records any more (another live run's cluster has its record).
    const recorded = new Set(listRecords(tc.cache.registry).map((r) => r.name));
    expect(folders().filter((d) => !foldersBefore.has(d) && !recorded.has(d))).toEqual([]);
    // tsx keeps its compile cache in the temp dir on purpose; nothing else may stay.
    expect(readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f))).toEqual([]);

    // The storm hit what it planned: every phase, each signal, and (nearly) every kill landed.
    const landed = outcomes.filter((o) => o.delivered);
    for (const phase of Object.keys(PHASES) as Phase[]) {
      for (const signal of ['SIGINT', 'SIGKILL'] as Signal[]) {
        expect(landed.filter((o) => o.kill.phase === phase && o.kill.signal === signal).length, `${signal} during ${phase} (seed ${SEED})`).toBeGreaterThan(0);
      }
    }
    // SIGKILLed runs left clusters for gc, and gc named each one it removed.
    expect(orphaned.length).toBeGreaterThan(0);
    for (const { o, c } of orphaned) expect(gc.stderr, describeKill(o.kill)).toContain(`cluster ${c}`);
  }, 420_000);
});
