// Where built binaries, cluster state and logs live: outside the repo, shared by all checkouts.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$ROLLCALL_CACHE`, else `$XDG_CACHE_HOME/rollcall`, else `~/.cache/rollcall`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROLLCALL_CACHE) return env.ROLLCALL_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'rollcall');
  return join(homedir(), '.cache', 'rollcall');
}

/** Layout of the cache. Every versioned component gets its own folder so versions never mix. */
export function cacheLayout(root: string) {
  return {
    root,
    kubernetes: (version: string) => join(root, 'kubernetes', `v${version}`),
    etcd: (version: string) => join(root, 'etcd', `v${version}`),
    kwok: (version: string) => join(root, 'kwok', `v${version}`),
    logs: join(root, 'logs'),
    /** kwokctl's workdir: one folder per cluster under clusters/. */
    kwokWorkdir: join(root, 'kwok-workdir'),
    /** Our own record of every cluster rollcall created (owner pid, provider), for `gc`. */
    registry: join(root, 'clusters'),
    /** Change journals of runs on existing clusters, one folder per context and server, for `gc --context`. */
    journals: join(root, 'journals'),
  };
}
export type CacheLayout = ReturnType<typeof cacheLayout>;
