// Options shared by several commands, and their validation.
import { UsageError } from '../../util/errors.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../../toolchain/versions.js';

export const kubernetesVersionOption = {
  type: 'string' as const,
  default: DEFAULT_KUBERNETES_VERSION,
  describe: 'Kubernetes release to build and run (cached per version)',
};

/** Parses a whole-number flag from its raw text, naming the flag and the text in the error. */
export function parseCountFlag(flag: string, raw: unknown, min = 0): number {
  const text = String(raw);
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`--${flag}: "${text}" is not a whole number${min ? ` >= ${min}` : ''}`);
  return Number(text);
}

/** Validates --kubernetes-version, naming the flag in the error. */
export function parseVersionFlag(value: string): string {
  try {
    return parseKubernetesVersion(value).version;
  } catch {
    throw new UsageError(`--kubernetes-version: "${value}" is not a Kubernetes release (e.g. ${DEFAULT_KUBERNETES_VERSION})`);
  }
}

/** The providers `run` can use. */
export const PROVIDERS = ['kwok', 'kind', 'existing'] as const;

/** Validates --provider, naming the flag in the error. */
export function parseProviderFlag(value: string, allowed: readonly string[] = PROVIDERS): string {
  if (!allowed.includes(value)) throw new UsageError(`--provider: "${value}" is not one of ${allowed.join(', ')}`);
  return value;
}

export const apiLimitsOption = {
  type: 'string' as const,
  default: 'lifted',
  describe: 'kwok control plane client limits: lifted (fast as the machine allows) or production (upstream default QPS and API priority and fairness)',
};

/** Validates --api-limits, naming the flag in the error. */
export function parseApiLimitsFlag(value: string): 'lifted' | 'production' {
  if (value === 'lifted' || value === 'production') return value;
  throw new UsageError(`--api-limits: "${value}" is not one of lifted, production`);
}
