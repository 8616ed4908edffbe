// Control-plane faults (`t.controlPlane`): restart or freeze etcd, the API server, the controller
// manager or the scheduler mid-scenario, as a crashing or hanging static pod would. Each returns
// once the whole control plane serves again; a freeze is undone (SIGCONT) even after a crash or Ctrl-C.
import { requireCapability, type Capability } from '../providers/capabilities.js';
import { CONTROL_PLANE_COMPONENTS, type ControlPlaneComponent, type ControlPlaneProcesses } from '../providers/cluster.js';
import { UsageError } from '../util/errors.js';
import { durationIn, formatMs, type Duration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import type { Act, ActionRecord, ChaosRuntime } from './chaos-runtime.js';

/** What a control-plane fault hands back: the action, and when everything served again (scenario clock). */
export interface ControlPlaneFault extends ActionRecord {
  component: ControlPlaneComponent;
  /** When the component, and every other one, served again. */
  servingAtMs: number;
  /** Components that exited because of the fault and were started again (a controller manager that lost its lease). */
  revived: string[];
}

export interface ControlPlaneOptions {
  /** How long the control plane may take to serve again afterwards (default 2m). */
  timeout?: Duration;
}

const DEFAULT_TIMEOUT = '2m';
/** The undo of a fault cut short waits less: it runs while a run is being torn down. */
const UNDO_TIMEOUT_MS = 60_000;

/** Components whose fault blinds the watches: nothing is observed while they are down or frozen. */
const BLINDING: readonly ControlPlaneComponent[] = ['kube-apiserver', 'etcd'];

/**
 * The cluster's control plane, as a scenario sees it. Declare `requires: ['control-plane-restart']`
 * (or `control-plane-pause`): providers that did not start the control plane skip the scenario.
 *
 * @example
 * await ds.setImage('busybox:1.37');
 * await t.controlPlane.restart('kube-controller-manager');   // returns once it leads again
 * await ds.expectRolloutComplete().within('2m');
 * await t.controlPlane.pause('kube-apiserver', '5s');        // SIGSTOP, SIGCONT 5 s later
 */
export class ControlPlaneChaos {
  constructor(private readonly rt: ChaosRuntime & { signal: AbortSignal }, private readonly act: Act) {}

  /**
   * Stops the component (SIGTERM, then SIGKILL after 15 s) and starts it again with the same flags;
   * returns once it serves again (the API server's /readyz, etcd's /health, a controller
   * manager's or scheduler's lease renewed by the new process) and the recorder's watches resumed.
   */
  async restart(component: ControlPlaneComponent, opts: ControlPlaneOptions = {}): Promise<ControlPlaneFault> {
    this.known(component, 'restart');
    const timeoutMs = durationIn(this.rt.file, opts.timeout ?? DEFAULT_TIMEOUT, `controlPlane.restart("${component}"): timeout`);
    const cp = this.processes('control-plane-restart', `restart ${component}`);
    return this.act('control-plane.restart', `restart ${component}`, () =>
      this.fault(component, `${component} was restarting`, cp, timeoutMs, async () => {
        await cp.restart(component, { timeoutMs, signal: this.rt.signal });
      }),
    );
  }

  /**
   * Freezes the component (SIGSTOP) for `duration`, then thaws it (SIGCONT) and returns once the
   * control plane serves again. Run it without awaiting to act during the freeze. The thaw is
   * also registered as an undo, so a scenario that crashes or is interrupted never leaves it stopped.
   */
  async pause(component: ControlPlaneComponent, duration: Duration, opts: ControlPlaneOptions = {}): Promise<ControlPlaneFault> {
    this.known(component, 'pause');
    const ms = durationIn(this.rt.file, duration, `controlPlane.pause("${component}"): duration`);
    const timeoutMs = durationIn(this.rt.file, opts.timeout ?? DEFAULT_TIMEOUT, `controlPlane.pause("${component}"): timeout`);
    const cp = this.processes('control-plane-pause', `pause ${component}`);
    this.rt.signal.throwIfAborted();
    return this.act('control-plane.pause', `pause ${component} for ${formatMs(ms)} (SIGSTOP)`, () =>
      this.fault(component, `${component} was paused`, cp, timeoutMs, async () => {
        // Registered before the SIGSTOP, which pause() sends before its first await; pushed after
        // the fault's own undo, so on a crash or Ctrl-C the thaw runs first.
        const withdraw = this.rt.undo.push(`resume ${component} (SIGCONT)`, () => cp.resume(component));
        try {
          await cp.pause(component);
          await sleep(ms, this.rt.signal);
        } finally {
          // At once on every way out (an abort included); the undo would do it again, harmlessly.
          cp.resume(component);
          withdraw();
        }
        await this.act('control-plane.resume', `resume ${component} (SIGCONT)`, async () => ({}));
      }),
    );
  }

  /**
   * Runs one fault: a blinding one is an outage on the recorder's timeline until the watches have
   * resumed; afterwards the whole control plane must serve again (components the fault made exit
   * are started again, as the kubelet would, and logged).
   */
  private async fault(component: ControlPlaneComponent, why: string, cp: ControlPlaneProcesses, timeoutMs: number, run: () => Promise<void>): Promise<Omit<ControlPlaneFault, keyof ActionRecord>> {
    const rec = this.rt.recorder;
    const endOutage = BLINDING.includes(component) ? rec.beginOutage(why) : undefined;
    // Withdrawn once everything serves: only a fault cut short (a crash, Ctrl-C) leaves it to run.
    const ensure = this.rt.undo.push(`make sure the control plane runs after "${why}"`, async () => void (await cp.settle(Date.now(), { timeoutMs: UNDO_TIMEOUT_MS })));
    let revived: string[];
    try {
      await run();
      revived = await cp.settle(Date.now(), { timeoutMs, signal: this.rt.signal });
      if (endOutage) await rec.caughtUp();
    } finally {
      endOutage?.();
    }
    ensure();
    for (const line of revived) await this.act('control-plane.revive', line, async () => ({}));
    return { component, servingAtMs: rec.now(), revived };
  }

  private processes(capability: Capability, action: string): ControlPlaneProcesses {
    const c = this.rt.cluster;
    requireCapability(c.provider, c.capabilities, capability, action);
    if (!c.controlPlane) throw new Error(`provider ${c.provider} says it can ${action} but the cluster has no control-plane processes`);
    return c.controlPlane;
  }

  private known(component: string, verb: string): void {
    if (!CONTROL_PLANE_COMPONENTS.includes(component as ControlPlaneComponent)) {
      throw new UsageError(`${this.rt.file}: controlPlane.${verb}(${JSON.stringify(component)}): not one of ${CONTROL_PLANE_COMPONENTS.join(', ')}`);
    }
  }
}
