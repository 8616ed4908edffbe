// Control-plane faults on the real kwok control plane: each of the four components restarted
// returns only once it serves again, and the cluster keeps working; a paused one stops answering
// and answers again after; the recorder's gaps reach report.json and the expectations spanning
// them; a Ctrl-C during a freeze leaves no process stopped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Lease } from '@kubernetes/client-node';
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { clusterDir } from '../../src/providers/kwok/kwokctl.js';
import { deleteKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import type { ControlPlaneComponent } from '../../src/providers/cluster.js';
import { apiGet, rawGet, RequestTimeout } from '../../src/kube/raw-get.js';
import { kubeClient } from '../../src/kube/kube-client.js';
import { isRunning, processState, processesMentioning } from '../../src/util/processes.js';
import { oneReadyPodPerNode, simpleLogCollector, startCluster, testToolchain, waitForPods } from '../support/kwok-fixture.js';
import { rollcall } from '../support/cli.js';
import { baseline, leftovers, readReport } from '../support/runs.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURES = 'test/fixtures/scenarios/control-plane';

describe('control-plane faults (kwok)', () => {
  let cluster: KwokCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster(2);
    dir = clusterDir(await testToolchain(), cluster.name);
  }, 180_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  const pid = (c: string) => Number(readFileSync(join(dir, 'pids', `${c}.pid`), 'utf8'));
  const flag = (c: string, name: string) => readFileSync(join(dir, 'cmdline', c), 'utf8').split('\0').find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const lease = async (c: string): Promise<V1Lease> => cluster.kube.kubeconfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: c, namespace: 'kube-system' });
  /** A DaemonSet created now gets one Ready pod on each node: the controller manager, scheduler, API server and etcd all work. */
  const coveredAfresh = async (tag: string) => {
    const ns = `after-${tag}`;
    await cluster.kube.core.createNamespace({ body: { metadata: { name: ns } } });
    await cluster.kube.apps.createNamespacedDaemonSet({ namespace: ns, body: simpleLogCollector(ns) });
    await waitForPods(cluster.kube, ns, 'app=log-collector', oneReadyPodPerNode(['worker-1', 'worker-2']), `DaemonSet covered after the ${tag} restart`, 60_000);
  };

  it.each<ControlPlaneComponent>(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])('restarting %s returns once it serves again, and the cluster keeps working', async (component) => {
    const before = pid(component);
    const holder = component.startsWith('kube-') && component !== 'kube-apiserver' ? (await lease(component)).spec?.holderIdentity : undefined;
    await cluster.controlPlane.restart(component, { timeoutMs: 120_000 });
    // As t.controlPlane does after every fault: a component that exited meanwhile (a controller manager
    // or scheduler that lost its lease while the API server was away) is started again.
    await cluster.controlPlane.settle(Date.now(), { timeoutMs: 120_000 });
    // A new process, the old one gone.
    expect(isRunning(before)).toBe(false);
    expect(pid(component)).not.toBe(before);
    expect(isRunning(pid(component))).toBe(true);
    // Serving at once, with no waiting of our own.
    if (component === 'etcd') expect((await rawGet(`${flag('etcd', 'advertise-client-urls')}/health`, 1000)).body).toMatch(/"health":\s*"true"/);
    if (component === 'etcd' || component === 'kube-apiserver') expect((await apiGet(cluster.kube.kubeconfig, '/readyz', 1000)).status).toBe(200);
    // A controller manager or scheduler that serves leads: the lease names the new process, not the killed one.
    if (holder) expect((await lease(component)).spec?.holderIdentity).not.toBe(holder);
    await coveredAfresh(component.replace('kube-', ''));
  }, 240_000);

  it('pausing a component stops it answering (kernel state T) until it is resumed', async () => {
    const probes: Record<string, () => Promise<unknown>> = {
      'kube-apiserver': () => apiGet(cluster.kube.kubeconfig, '/readyz', 1500),
      etcd: () => rawGet(`${flag('etcd', 'advertise-client-urls')}/health`, 1500),
      'kube-controller-manager': () => rawGet(`https://127.0.0.1:${flag('kube-controller-manager', 'secure-port')}/healthz`, 1500),
    };
    for (const [component, probe] of Object.entries(probes) as Array<[ControlPlaneComponent, () => Promise<unknown>]>) {
      const stopped = await cluster.controlPlane.pause(component);
      try {
        expect(processState(stopped)).toBe('T');
        await expect(probe(), component).rejects.toBeInstanceOf(RequestTimeout);
      } finally {
        cluster.controlPlane.resume(component);
      }
      expect(processState(stopped)).not.toBe('T');
      await expect(probe(), component).resolves.toMatchObject({ status: 200 });
    }
    await cluster.controlPlane.settle(Date.now(), { timeoutMs: 60_000 });
    await coveredAfresh('pauses');
  }, 240_000);

  it('a scenario spanning the gaps: report.json has them, holdsFor across a restart fails as unobserved, with allowGaps it passes showing the gap', async () => {
    const reportDir = tempDir('rollcall-cp-');
    const r = await rollcall(['run', `${FIXTURES}/gaps.ts`, '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(0);
    const [s] = readReport(reportDir).scenarios;
    expect(s!.verdict, s!.error).toBe('passed');
    const restart = s!.actions.find((a) => a.kind === 'control-plane.restart')!;
    const pause = s!.actions.find((a) => a.kind === 'control-plane.pause')!;
    const resume = s!.actions.find((a) => a.kind === 'control-plane.resume')!;
    expect(restart.description).toBe('restart kube-apiserver');
    expect(pause.description).toBe('pause kube-apiserver for 4.0s (SIGSTOP)');
    // One gap per fault, from the fault's start to when the watches were back, naming it.
    expect(s!.gaps).toEqual([
      { fromMs: expect.any(Number), toMs: expect.any(Number), watches: expect.arrayContaining(['all']), reason: expect.stringMatching(/^kube-apiserver was restarting/) },
      { fromMs: expect.any(Number), toMs: expect.any(Number), watches: ['all'], reason: 'kube-apiserver was paused' },
    ]);
    const [rg, pg] = s!.gaps!;
    expect(Math.abs(rg!.fromMs - restart.atMs)).toBeLessThan(50);
    expect(rg!.toMs! - rg!.fromMs).toBeGreaterThan(1000);
    expect(Math.abs(pg!.fromMs - pause.atMs)).toBeLessThan(50);
    // The freeze lasted the 4 s asked; the gap ends once the API server answered again after it.
    expect(resume.atMs - pause.atMs).toBeGreaterThanOrEqual(4000);
    expect(pg!.toMs!).toBeGreaterThanOrEqual(resume.atMs);
    // On the timeline too, with its start.
    expect(s!.timeline.filter((e) => e.kind === 'Gap' && e.name === 'all').map((e) => e.summary.reason)).toEqual([expect.stringMatching(/^kube-apiserver was restarting/), 'kube-apiserver was paused']);
    // The holdsFor across the restart: failed as unobserved, saying from when to when and why.
    const unobserved = s!.assertions.find((a) => a.step === 'holdsFor across an API server restart is unobserved')!;
    expect(unobserved.verdict).toBe('failed');
    expect(unobserved.observed).toMatch(/^\d+\/\d+ nodes covered; not observed from \+[0-9.ms]+ to \+[0-9.ms]+: kube-apiserver was restarting/);
    expect(unobserved.gaps?.[0]?.reason).toMatch(/^kube-apiserver was restarting/);
    expect(r.stdout).toMatch(/expected failure: .*holds for 40\.0s: unobserved: not observed from \+[0-9.ms]+ to \+[0-9.ms]+: kube-apiserver was restarting/);
    // With allowGaps: passed, the gap shown with it.
    const accepted = s!.assertions.find((a) => a.step === 'with allowGaps it holds on both sides of a frozen API server' && a.expected !== 'the pass names the gap it held across')!;
    expect(accepted.verdict).toBe('passed');
    expect(accepted.observed).toMatch(/held on both sides of it: not observed from \+[0-9.ms]+ to \+[0-9.ms]+: kube-apiserver was paused/);
    expect(r.stdout).toMatch(/~ not observed from \+[0-9.ms]+ to \+[0-9.ms]+: kube-apiserver was paused/);
    const html = readFileSync(join(reportDir, 'latest', 'index.html'), 'utf8');
    expect(html).toContain('<h3>Not observed</h3>');
    expect(html).toMatch(/<g class="gap gap-span"><title>[^<]* not observed \(all\): kube-apiserver was paused<\/title><rect /);
  }, 300_000);

  it('Ctrl-C during a freeze thaws the component before rollcall exits', async () => {
    const before = await baseline();
    const tc = await testToolchain();
    const clusters = `${tc.cache.kwokWorkdir}/clusters/`;
    const child = rollcall(['run', `${FIXTURES}/pause-forever.ts`, '--keep-cluster', '--report-dir', tempDir('rollcall-cp-')]);
    let name: string | undefined;
    try {
      // The run's API server, once the kernel shows it stopped (a process of a cluster started since the baseline).
      const deadline = Date.now() + 180_000;
      let stopped: number | undefined;
      while (stopped === undefined && Date.now() < deadline) {
        stopped = processesMentioning(clusters).find((p) => !before.procs.has(p) && processState(p) === 'T');
        if (stopped === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(stopped, 'no stopped control-plane process appeared').toBeDefined();
      name = new RegExp(`${clusters}([^/]+)/`).exec(readFileSync(`/proc/${stopped}/cmdline`, 'utf8').replace(/\0/g, ' '))![1]!;
      expect(readFileSync(join(clusterDir(tc, name), 'pids', 'kube-apiserver.pid'), 'utf8').trim()).toBe(String(stopped));
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode, r.all).toBe(130);
      // Every process of the kept cluster runs, none stopped.
      const procs = processesMentioning(`${clusterDir(tc, name)}/`);
      expect(procs.length).toBeGreaterThanOrEqual(5);
      for (const p of procs) expect(readFileSync(`/proc/${p}/status`, 'utf8')).not.toMatch(/^State:\s+T/m);
      // And the kept cluster's API server answers again.
      expect((await apiGet(kubeClient(join(clusterDir(tc, name), 'kubeconfig.yaml')).kubeconfig, '/readyz', 2000)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      if (name) await deleteKwokCluster(tc, name);
    }
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  }, 300_000);
});
