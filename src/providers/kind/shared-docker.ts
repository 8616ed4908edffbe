// One Docker daemon per process for all kind clusters: with --jobs N, the run that started dockerd
// must not stop it under the others. The last release stops it, and only if we started it.
import { ensureDocker, type DockerHandle } from '../../toolchain/kind/docker-daemon.js';
import type { Progress } from '../../util/progress.js';

let handle: Promise<DockerHandle> | undefined;
let users = 0;

/** Makes sure Docker answers; pair every call with `releaseDocker()`. */
export async function acquireDocker(progress: Progress): Promise<void> {
  users++;
  try {
    await (handle ??= ensureDocker(progress));
  } catch (err) {
    users--;
    handle = undefined;
    throw err;
  }
}

/** Stops dockerd once no cluster of this process needs it (if this process started it). */
export async function releaseDocker(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0 || !handle) return;
  const h = handle;
  handle = undefined;
  await (await h.catch(() => undefined))?.stop();
}
