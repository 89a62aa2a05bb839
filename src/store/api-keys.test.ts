import { describe, expect, it } from 'vitest';
import { Store } from './store.ts';

describe('api keys', () => {
  it('returns the key once and stores only its hash and a short prefix', () => {
    const store = new Store(':memory:');
    const { key, record } = store.apiKeys.create('ci', ['write', 'read', 'write']);
    expect(key).toMatch(/^orch_[0-9A-Za-z]{40}$/);
    expect(record).toMatchObject({ name: 'ci', scopes: ['read', 'write'], prefix: key.slice(0, 12), lastUsedAt: null, revokedAt: null });
    const rows = JSON.stringify(store.core.db.prepare('SELECT * FROM api_keys').all());
    expect(rows).not.toContain(key);
    expect(rows).not.toContain(key.slice(12));
    store.close();
  });

  it('verifies a good key, and refuses a wrong, malformed or revoked one', () => {
    const store = new Store(':memory:');
    const { key, record } = store.apiKeys.create('dash', ['read']);
    expect(store.apiKeys.verify(key)?.id).toBe(record.id);
    const wrong = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    expect(store.apiKeys.verify(wrong)).toBeNull();
    expect(store.apiKeys.verify('')).toBeNull();
    expect(store.apiKeys.verify(`${key} `)).toBeNull();
    expect(store.apiKeys.verify('x'.repeat(100_000))).toBeNull();
    store.apiKeys.touch(record.id);
    expect(store.apiKeys.get(record.id).lastUsedAt).not.toBeNull();
    expect(store.apiKeys.revoke(record.id).revokedAt).not.toBeNull();
    expect(store.apiKeys.verify(key)).toBeNull();
    expect(store.apiKeys.list().map((k) => k.id)).toEqual([record.id]);
    store.close();
  });

  it('needs a name and a scope', () => {
    const store = new Store(':memory:');
    expect(() => store.apiKeys.create('  ', ['read'])).toThrow(/name/);
    expect(() => store.apiKeys.create('x', [])).toThrow(/scope/);
    expect(() => store.apiKeys.revoke('key_0000000000000000')).toThrow(/No API key/);
    store.close();
  });
});
