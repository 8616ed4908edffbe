// The registry kind nodes pull from and the Toxiproxy in front of it: Go programs from the module
// proxy, each in a `FROM scratch` image built from a local folder (nothing is pulled).
import { copyFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheLayout } from '../cache-dir.js';
import type { GoComponentSpec } from '../go-component.js';
import { imageIsCurrent, RECIPE_LABEL, runPipeline, sh } from './docker-cli.js';
import { kindCacheDir } from './kind-components.js';
import { DISTRIBUTION_VERSION, IMAGE_REPO, TOXIPROXY_VERSION } from './kind-versions.js';
import { recipeHash } from './recipe.js';
import { secondsSince, withWorkDir, type ImageBuildContext } from './rootfs-images.js';

/** Local image names (tagged by version; never pulled). */
export const REGISTRY_IMAGE = `${IMAGE_REPO}/registry:v${DISTRIBUTION_VERSION}`;
export const TOXIPROXY_IMAGE = `${IMAGE_REPO}/toxiproxy:v${TOXIPROXY_VERSION}`;

export function registryComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `registry (distribution) v${DISTRIBUTION_VERSION}`,
    dir: kindCacheDir(cache, 'registry', `v${DISTRIBUTION_VERSION}`),
    goMod: 'module rollcall.local/registry\n\ngo 1.26.0\n',
    tools: [`github.com/distribution/distribution/v3/cmd/registry@v${DISTRIBUTION_VERSION}`],
    packages: [{ pkg: 'github.com/distribution/distribution/v3/cmd/registry', binary: 'registry' }],
    ldflags: '-s -w',
    versionCheck: { binary: 'registry', args: ['--version'], expect: new RegExp(`v${DISTRIBUTION_VERSION.replace(/\./g, '\\.')}\\b`) },
  };
}

export function toxiproxyComponent(cache: CacheLayout): GoComponentSpec {
  return {
    label: `toxiproxy v${TOXIPROXY_VERSION}`,
    dir: kindCacheDir(cache, 'toxiproxy', `v${TOXIPROXY_VERSION}`),
    goMod: 'module rollcall.local/toxiproxy\n\ngo 1.26.0\n',
    tools: [`github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`],
    packages: [{ pkg: 'github.com/Shopify/toxiproxy/v2/cmd/server', binary: 'toxiproxy-server' }],
    // Upstream stamps the version at release time; without it the binary says "git".
    ldflags: `-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`,
    versionCheck: { binary: 'toxiproxy-server', args: ['-version'], expect: new RegExp(`version ${TOXIPROXY_VERSION.replace(/\./g, '\\.')}\\b`) },
  };
}

/**
 * The registry's configuration: plain HTTP on :5000, blobs on the container's filesystem (a
 * registry lives as long as its cluster), deletes allowed. Auth is switched on by environment
 * (REGISTRY_AUTH=htpasswd) for the registry that answers 401.
 */
const REGISTRY_CONFIG = `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
`;

/** Builds both images when missing or stale; returns their references. */
export async function ensureRegistryImages(ctx: ImageBuildContext, bins: { registry: string; toxiproxy: string }): Promise<{ registry: string; toxiproxy: string }> {
  const specs = [
    { ref: REGISTRY_IMAGE, binary: bins.registry, dest: '/bin/registry', files: { 'etc/distribution/config.yml': REGISTRY_CONFIG }, lines: ['EXPOSE 5000', 'ENTRYPOINT ["/bin/registry"]', 'CMD ["serve", "/etc/distribution/config.yml"]'] },
    { ref: TOXIPROXY_IMAGE, binary: bins.toxiproxy, dest: '/bin/toxiproxy-server', files: {}, lines: ['EXPOSE 8474', 'ENTRYPOINT ["/bin/toxiproxy-server"]', 'CMD ["-host", "0.0.0.0", "-port", "8474"]'] },
  ];
  const log = join(ctx.logsDir, 'kind-registry-images.log');
  const started = Date.now();
  let built = 0;
  await withWorkDir(ctx.kindDir, 'registry-images', async (work) => {
    for (const spec of specs) {
      const recipe = recipeHash([spec.ref, spec.binary, ...spec.lines, ...Object.entries(spec.files).flat()]);
      if (await imageIsCurrent(spec.ref, recipe)) continue;
      built++;
      const context = join(work, spec.ref.replace(/[^a-z0-9.-]+/gi, '_'));
      mkdirSync(join(context, 'root', 'var', 'lib', 'registry'), { recursive: true });
      for (const [path, text] of Object.entries(spec.files)) {
        mkdirSync(join(context, 'root', path, '..'), { recursive: true });
        writeFileSync(join(context, 'root', path), text);
      }
      mkdirSync(join(context, 'root', 'bin'), { recursive: true });
      copyFileSync(spec.binary, join(context, 'root', spec.dest));
      chmodSync(join(context, 'root', spec.dest), 0o755);
      // /tmp for the htpasswd file the auth registry provisions itself (scratch has no folders).
      mkdirSync(join(context, 'root', 'tmp'), { recursive: true, mode: 0o1777 });
      writeFileSync(join(context, 'Dockerfile'), ['FROM scratch', 'COPY root/ /', ...spec.lines, `LABEL ${RECIPE_LABEL}=${recipe}`, ''].join('\n'));
      await runPipeline(`building image ${spec.ref}`, `docker build -q -t ${sh(spec.ref)} ${sh(context)}`, log);
    }
  });
  if (built > 0) {
    ctx.record?.('registry-images', secondsSince(started));
    ctx.progress(`  registry and toxiproxy images built in ${secondsSince(started)} s`);
  }
  return { registry: REGISTRY_IMAGE, toxiproxy: TOXIPROXY_IMAGE };
}
