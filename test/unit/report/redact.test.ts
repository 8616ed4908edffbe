import { describe, expect, it } from 'vitest';
import { assertNoSecrets, findSecrets, redact, redactText } from '../../../src/report/redact.js';
import { InfraError } from '../../../src/util/errors.js';
import { FAKE_KEY_DATA, FAKE_KUBECONFIG, FAKE_PEM, FAKE_TOKEN } from './fixtures.js';

describe('redaction', () => {
  it('removes kubeconfig credentials, bearer tokens, JWTs and PEM blocks', () => {
    const out = redactText(`${FAKE_KUBECONFIG}\nAuthorization: Bearer abcdefghijklmnop\n${FAKE_PEM}\nraw ${FAKE_TOKEN}\n--token=s3cr3t --password hunter2`);
    for (const secret of [FAKE_TOKEN, FAKE_KEY_DATA, 'abcdefghijklmnop', 'MIIEowIBAAKCAQEAsecretsecret', 's3cr3t', 'hunter2']) expect(out).not.toContain(secret);
    expect(out).toContain('client-key-data: [REDACTED');
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).toContain('[REDACTED RSA PRIVATE KEY]');
    expect(findSecrets(out)).toEqual([]);
  });

  it('keeps JSON-ish structure and ordinary words', () => {
    expect(redactText('{"token":"abc123"}')).toBe('{"token":"[REDACTED]"}');
    for (const s of ['the token was rotated', 'took 3 tokens', 'rollout duration: 4500ms', 'taint node.kubernetes.io/not-ready:NoExecute']) expect(redactText(s)).toBe(s);
  });

  it('is idempotent, so a redacted text passes the check', () => {
    const once = redactText(FAKE_KUBECONFIG);
    expect(redactText(once)).toBe(once);
    expect(() => assertNoSecrets(once)).not.toThrow();
  });

  it('redacts every string in a nested object without touching keys or numbers', () => {
    const out = redact({ token: 'plain', list: [`token: ${FAKE_TOKEN}`], n: 3, nested: { m: FAKE_PEM } });
    expect(out).toEqual({ token: 'plain', list: ['token: [REDACTED]'], n: 3, nested: { m: '[REDACTED RSA PRIVATE KEY]' } });
  });

  it('refuses a file that still holds a credential, naming the file and the kind, not the secret', () => {
    expect(() => assertNoSecrets(`x client-certificate-data: ${FAKE_KEY_DATA}`, 'out/index.html')).toThrow(InfraError);
    const err = (() => {
      try {
        assertNoSecrets(`token: ${FAKE_TOKEN}`, 'out/index.html');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(/refusing to write out\/index\.html: it would contain a .*JWT/);
    expect(err?.message).not.toContain(FAKE_TOKEN);
  });
});
