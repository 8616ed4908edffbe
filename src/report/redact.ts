// Keeps credentials out of report files: kubeconfig secrets, bearer tokens, private keys and
// certificates are replaced before anything is written, and every written file is checked again.
import { InfraError } from '../util/errors.js';

interface SecretPattern {
  kind: string;
  re: RegExp;
  replace: string;
}

// Each replacement is a fixed point of its own pattern, so redaction is idempotent and
// `assertNoSecrets` can simply check that redacting changes nothing.
const PATTERNS: SecretPattern[] = [
  { kind: 'PEM block', re: /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/g, replace: '[REDACTED $1]' },
  // base64 of "-----BEGIN": how kubeconfig embeds certificates and keys.
  { kind: 'base64 PEM', re: /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, replace: '[REDACTED base64 PEM]' },
  {
    kind: 'kubeconfig credential',
    re: /\b(client-certificate-data|client-key-data|certificate-authority-data|id-token|refresh-token|access-token|password|token)(["']?\s*[:=]\s*)(["']?)(?!\[REDACTED)([^\s"'<>,}\]\\]+)/gi,
    replace: '$1$2$3[REDACTED]',
  },
  {
    kind: 'credential flag',
    re: /(--(?:token|password|client-key|client-certificate))(=|\s+)(["']?)(?!\[REDACTED)([^\s"'<>]+)/gi,
    replace: '$1$2$3[REDACTED]',
  },
  { kind: 'bearer token', re: /\b(Bearer|Basic)\s+(?!\[REDACTED)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: '$1 [REDACTED]' },
  { kind: 'JWT', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: '[REDACTED JWT]' },
];

/** Replaces anything that looks like a credential in one string. */
export function redactText(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p.re, p.replace);
  return out;
}

/** Deep copy of a JSON-like value with every string (keys excepted) redacted. */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v);
    return out as T;
  }
  return value;
}

/** Names the kinds of credential found in a text (never the credential itself). */
export function findSecrets(text: string): string[] {
  return PATTERNS.filter((p) => text.replace(p.re, p.replace) !== text).map((p) => p.kind);
}

/** Throws if a file about to be written still contains something that looks like a credential. */
export function assertNoSecrets(text: string, file = 'report'): void {
  const kinds = findSecrets(text);
  if (kinds.length) throw new InfraError(`refusing to write ${file}: it would contain a ${kinds.join(', ')} (a report renderer leaked an unredacted string)`);
}
