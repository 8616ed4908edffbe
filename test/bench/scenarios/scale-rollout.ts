// The bench's scale scenario: BENCH_NODES simulated nodes, a DaemonSet applied until covered, then
// a rolling update at maxUnavailable 10 %, watched at the same time by rollcall's expectation,
// `kubectl rollout status --watch` and a 1 s poller of kubectl's rule. Writes its figures to
// BENCH_OUT as JSON (test/bench/scale.ts runs it and prints the table).
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { defineScenario } from '../../../src/index.js';
import { processesMentioning } from '../../../src/util/processes.js';
import { cpuSeconds, componentName } from '../proc-stats.js';

const nodes = Number(process.env.BENCH_NODES ?? 100);
const KUBECTL = process.env.BENCH_KUBECTL ?? 'kubectl';

export default defineScenario({
  name: `scale: ${nodes} nodes, rolling update at maxUnavailable 10%`,
  cluster: { nodes },
  timeout: '40m',
  async run(t) {
    const controlPlane = processesMentioning(dirname(t.kubeconfig));
    const cpuAt = () => Object.fromEntries(controlPlane.map((p) => [componentName(p), cpuSeconds(p)]));
    const cp0 = cpuAt();
    const h0 = process.cpuUsage();
    const applied = Date.now();
    const ds = await t.daemonSet({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }] } },
      },
    });
    await t.step('apply -> covered', () => ds.expectCoverage().within('30m'));
    const coveredMs = Date.now() - applied;

    const kube = ['--kubeconfig', t.kubeconfig, '-n', t.namespace];
    const rule = '{.metadata.generation} {.status.observedGeneration} {.status.desiredNumberScheduled} {.status.updatedNumberScheduled} {.status.numberAvailable}';
    const poll = `while true; do set -- $(${KUBECTL} ${kube.join(' ')} get ds agent -o jsonpath='${rule}'); `
      + 'if [ "$1" -le "$2" ] && [ "$3" = "$4" ] && [ "$3" = "$5" ]; then date +%s%3N; exit 0; fi; sleep 1; done';
    let rolled = 0;
    let kubectlSaw = 0;
    let pollerSaw = 0;
    await t.step('rolling update', async () => {
      t.invariant('within budget', ds.withinBudget, ds);
      const started = await ds.setImage('busybox:1.37');
      const watcher = execa(KUBECTL, [...kube, 'rollout', 'status', 'ds/agent', '--watch', '--timeout=30m']).then(() => (kubectlSaw = Date.now()));
      const poller = execa('sh', ['-c', poll]).then((r) => (pollerSaw = Number(r.stdout.trim())));
      const done = await ds.expectRolloutComplete().within('30m');
      const rollcallSaw = Date.now();
      await Promise.all([watcher, poller]);
      rolled = done.atMs - started.atMs;
      const written = t.wallClock(done).getTime();
      const h = process.cpuUsage(h0);
      const cp1 = cpuAt();
      const out = {
        nodes, coveredMs, rolloutMs: Math.round(rolled),
        detectedAfterWriteMs: { rollcall: rollcallSaw - written, kubectl: kubectlSaw - written, poller: pollerSaw - written },
        harnessCpuS: (h.user + h.system) / 1e6,
        controlPlaneCpuS: Object.fromEntries(Object.entries(cp1).map(([k, v]) => [k, v - (cp0[k] ?? 0)])),
        harnessPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
      if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(out));
      t.log(`bench: ${JSON.stringify(out)}`);
    });
  },
});
