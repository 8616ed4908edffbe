// A set of Go binaries built from the Go module proxy into one versioned cache folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { runLogged } from './run-logged.js';

/** How to build one component; `expectedVersion` checks a built binary's `--version` output. */
export interface GoComponentSpec {
  /** Name for progress lines and the log file ("kubernetes v1.36.3"). */
  label: string;
  /** Cache folder for this component and version; binaries go to `<dir>/bin`. */
  dir: string;
  /** Contents of the scratch go.mod (module line, go line, replaces). */
  goMod: string;
  /** `module/path/cmd/x@version` arguments for `go get -tool`. */
  tools: string[];
  /** Package paths to build, one binary each, named after the last path element unless renamed. */
  packages: Array<{ pkg: string; binary: string }>;
  ldflags: string;
  /** Build with cgo (statically linked); the default is CGO_ENABLED=0 as upstream builds these. */
  cgo?: boolean;
  /** Command that prints the version of a built binary, and a test that the output is right. */
  versionCheck: { binary: string; args: string[]; expect: RegExp };
}

export interface BuildContext {
  logsDir: string;
  progress: Progress;
  goBinary?: string;
}

/** Path of a binary inside the component's cache folder. */
export function binPath(spec: Pick<GoComponentSpec, 'dir'>, binary: string): string {
  return join(spec.dir, 'bin', binary);
}

/** True when every binary exists and the version check passes. Cheap: one process. */
export async function isBuilt(spec: GoComponentSpec): Promise<boolean> {
  if (!spec.packages.every((p) => existsSync(binPath(spec, p.binary)))) return false;
  const { binary, args, expect } = spec.versionCheck;
  const r = await execa(binPath(spec, binary), args, { reject: false, timeout: 20_000 });
  return r.exitCode === 0 && expect.test(`${r.stdout}\n${r.stderr}`);
}

/** Builds the component unless already built. Returns true when it had to build. */
export async function ensureGoComponent(spec: GoComponentSpec, ctx: BuildContext): Promise<boolean> {
  if (await isBuilt(spec)) return false;
  const go = ctx.goBinary ?? 'go';
  const src = join(spec.dir, 'src');
  const bin = join(spec.dir, 'bin');
  mkdirSync(src, { recursive: true });
  mkdirSync(bin, { recursive: true });
  const logFile = join(ctx.logsDir, `build-${spec.label.replace(/[^a-z0-9.]+/gi, '-')}.log`);
  // Rewrite go.mod only when it changed, so an interrupted build resumes with its go.sum.
  const goModPath = join(src, 'go.mod');
  if (!existsSync(goModPath) || !readFileSync(goModPath, 'utf8').startsWith(spec.goMod)) {
    writeFileSync(goModPath, spec.goMod);
    rmSync(join(src, 'go.sum'), { force: true });
  }
  const env = { ...process.env, CGO_ENABLED: spec.cgo ? '1' : '0', GOFLAGS: '-mod=mod' };
  const ldflags = spec.cgo ? `${spec.ldflags} -extldflags=-static` : spec.ldflags;
  ctx.progress(`building ${spec.label} from the Go module proxy${spec.cgo ? ', with cgo' : ''} (log: ${logFile})`);
  const started = Date.now();
  ctx.progress(`  ${spec.label}: resolving modules`);
  await runLogged({ step: `resolving modules for ${spec.label}`, file: go, args: ['get', '-tool', ...spec.tools], cwd: src, env, logFile });
  // Binaries named after their package are built by one `go build -o bin/`: the go command then
  // compiles their shared packages once and links them in parallel; renamed ones are built one by one.
  const named = spec.packages.filter((p) => p.binary === p.pkg.split('/').pop());
  const batches = [...(named.length > 1 ? [named] : named.map((p) => [p])), ...spec.packages.filter((p) => !named.includes(p)).map((p) => [p])];
  for (const batch of batches) {
    const binaries = batch.map((p) => p.binary).join(', ');
    ctx.progress(`  ${spec.label}: compiling ${binaries}`);
    await runLogged({
      step: `building ${binaries} (${spec.label})`,
      file: go,
      args: ['build', '-trimpath', '-ldflags', ldflags, '-o', batch.length > 1 ? `${bin}/` : join(bin, batch[0]!.binary), ...batch.map((p) => p.pkg)],
      cwd: src,
      env,
      logFile,
    });
  }
  if (!(await isBuilt(spec))) {
    throw new InfraError(`${spec.label} was built but its version check failed (${spec.versionCheck.binary} ${spec.versionCheck.args.join(' ')}); see ${logFile}`);
  }
  ctx.progress(`  ${spec.label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}
