// Builds a Go component that needs cgo (flanneld's udp backend), which ensureGoComponent disables.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../../util/errors.js';
import { binPath, isBuilt, type BuildContext, type GoComponentSpec } from '../go-component.js';
import { runLogged } from '../run-logged.js';

/** Same contract as ensureGoComponent, with CGO_ENABLED=1 (needs a C compiler). */
export async function ensureCgoComponent(spec: GoComponentSpec, ctx: BuildContext): Promise<boolean> {
  if (await isBuilt(spec)) return false;
  const go = ctx.goBinary ?? 'go';
  const src = join(spec.dir, 'src');
  mkdirSync(src, { recursive: true });
  mkdirSync(join(spec.dir, 'bin'), { recursive: true });
  const logFile = join(ctx.logsDir, `build-${spec.label.replace(/[^a-z0-9.]+/gi, '-')}.log`);
  const goModPath = join(src, 'go.mod');
  if (!existsSync(goModPath) || !readFileSync(goModPath, 'utf8').startsWith(spec.goMod)) {
    writeFileSync(goModPath, spec.goMod);
    rmSync(join(src, 'go.sum'), { force: true });
  }
  const env = { ...process.env, CGO_ENABLED: '1', GOFLAGS: '-mod=mod' };
  ctx.progress(`building ${spec.label} from the Go module proxy, with cgo (log: ${logFile})`);
  const started = Date.now();
  await runLogged({ step: `resolving modules for ${spec.label}`, file: go, args: ['get', '-tool', ...spec.tools], cwd: src, env, logFile });
  for (const { pkg, binary } of spec.packages) {
    ctx.progress(`  ${spec.label}: compiling ${binary}`);
    await runLogged({
      step: `building ${binary} (${spec.label})`,
      file: go,
      args: ['build', '-trimpath', '-ldflags', `${spec.ldflags} -extldflags=-static`, '-o', binPath(spec, binary), pkg],
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
