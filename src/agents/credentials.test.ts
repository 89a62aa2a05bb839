import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialPool, loadCredentialsFile, orderedCredentials, type Lease } from './credentials.ts';

const key = (name: string, maxConcurrent?: number) => ({ name, env: { ANTHROPIC_API_KEY: `secret-${name}` }, maxConcurrent });

describe('credential pools', () => {
  it('orders the login and the keys by mode', () => {
    expect(orderedCredentials('login-first', [key('a')]).map((c) => c.name)).toEqual(['login', 'a']);
    expect(orderedCredentials('keys-first', [key('a')]).map((c) => c.name)).toEqual(['a', 'login']);
    expect(orderedCredentials('keys-only', [key('a')]).map((c) => c.name)).toEqual(['a']);
  });

  it('rotates past a cooling credential and waits when all cool down', () => {
    const pool = new CredentialPool('claude', [key('a'), key('b')]);
    const first = pool.tryAcquire(0) as Lease;
    expect(first.credential.name).toBe('a');
    first.release();
    pool.coolDown('a', 30_000, 0);
    expect((pool.tryAcquire(1000) as Lease).credential.name).toBe('b');
    pool.coolDown('b', 5_000, 1000);
    expect(pool.tryAcquire(2000)).toEqual({ waitMs: 4000, cooling: true });
    expect((pool.tryAcquire(31_000) as Lease).credential.name).toBe('a');
  });

  it('keeps to a per-credential cap', () => {
    const pool = new CredentialPool('claude', [key('a', 1), key('b')]);
    expect((pool.tryAcquire() as Lease).credential.name).toBe('a');
    expect((pool.tryAcquire() as Lease).credential.name).toBe('b');
  });

  it('refuses a credentials file others can read, without echoing secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-cred-'));
    const path = join(dir, 'credentials.json');
    writeFileSync(path, JSON.stringify({ claude: { credentials: [key('a')] } }));
    chmodSync(path, 0o644);
    expect(() => loadCredentialsFile(path)).toThrow(/can be read by other users \(mode 644\)/);
    chmodSync(path, 0o600);
    expect(loadCredentialsFile(path)['claude']?.credentials[0]?.name).toBe('a');
    writeFileSync(path, JSON.stringify({ claude: { credentials: [{ name: 'x', env: { bad_name: 'secret-value' } }] } }));
    expect(() => loadCredentialsFile(path)).toThrow(/claude\.credentials\.0\.env/);
    expect(() => loadCredentialsFile(path)).not.toThrow(/secret-value/);
  });

  it('says where a broken credentials file stops being JSON, never what it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-cred-'));
    const path = join(dir, 'credentials.json');
    const broken = [
      '{"claude": {"credentials": [',
      '  {"name": "a", "env": {"ANTHROPIC_API_KEY": sk-ant-unquoted-secret-0123456789}}',
      ']}}',
    ].join('\n');
    const truncated = '{"claude": {"credentials": [{"name": "a", "env": {"ANTHROPIC_API_KEY": "sk-ant-cut-secret-0123456789';
    for (const [text, where] of [
      [broken, 'line 2, column 46'],
      [truncated, `line 1, column ${truncated.length + 1}`],
      ['sk-ant-whole-file-secret-0123456789', 'line 1, column 1'],
    ] as const) {
      writeFileSync(path, text, { mode: 0o600 });
      chmodSync(path, 0o600);
      let message = '';
      try {
        loadCredentialsFile(path);
      } catch (error) {
        message = `${(error as Error).message} ${(error as { hint?: string }).hint ?? ''}`;
      }
      expect(message).toContain(`is not valid JSON: the first error is at ${where}`);
      expect(message).not.toMatch(/sk-ant|0123456789/);
    }
  });
});
