// Finds the Go toolchain and checks it is new enough to build the pinned Kubernetes.
import { execa } from 'execa';
import { InfraError } from '../util/errors.js';

export const MIN_GO = { major: 1, minor: 26 };

/** Returns the Go version string ("go1.26.8") or throws one clear line saying what to install. */
export async function requireGo(goBinary = 'go'): Promise<string> {
  let out: string;
  try {
    out = (await execa(goBinary, ['env', 'GOVERSION'])).stdout.trim();
  } catch (err) {
    throw new InfraError(
      `Go ${MIN_GO.major}.${MIN_GO.minor}+ is needed once to build the embedded cluster's binaries, and "${goBinary}" was not found on PATH: install Go (https://go.dev/dl) and retry`,
      { cause: err },
    );
  }
  const m = /^go(\d+)\.(\d+)/.exec(out);
  if (!m) throw new InfraError(`cannot read the Go version from "${goBinary} env GOVERSION": got "${out}"`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < MIN_GO.major || (major === MIN_GO.major && minor < MIN_GO.minor)) {
    throw new InfraError(`Go ${MIN_GO.major}.${MIN_GO.minor}+ is needed to build Kubernetes; found ${out}: install a newer Go (or set GOTOOLCHAIN) and retry`);
  }
  return out;
}
