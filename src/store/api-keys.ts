// API keys for `orch serve`. Only a sha256 of a key is stored (with a short prefix to recognise it by); the key
// itself exists once, in what create() returns.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { NotFoundError, UsageError } from '../domain/errors.ts';
import { nowIso, type StoreCore } from './database.ts';

export const apiKeyScopes = ['read', 'write'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to tell keys apart in a list; never enough to use. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const keyPattern = /^orch_[0-9A-Za-z]{40}$/;
const idPattern = /^key_[0-9a-z]{16}$/;

/** 40 base62 characters: about 238 bits. randomInt draws without modulo bias. */
function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += base62[randomInt(base62.length)];
  return out;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',').filter((s): s is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(s)),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export const isApiKeyId = (value: string): boolean => idPattern.test(value);

export class ApiKeysRepo {
  constructor(private readonly core: StoreCore) {}

  /** A new key. The returned `key` is the only copy: it is not stored and cannot be shown again. */
  create(name: string, scopes: readonly ApiKeyScope[]): { key: string; record: ApiKey } {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100) throw new UsageError('An API key needs a name of 1 to 100 characters.');
    if (scopes.length === 0) throw new UsageError('An API key needs at least one scope (read, write).');
    const key = `orch_${randomBase62(40)}`;
    const id = `key_${randomBytes(8).toString('hex')}`;
    const unique = [...new Set(scopes)].sort();
    this.core.tx(() => {
      this.core
        .prepare('INSERT INTO api_keys (id, name, prefix, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, trimmed, key.slice(0, 12), sha256(key).toString('hex'), unique.join(','), nowIso());
    });
    return { key, record: this.get(id) };
  }

  /** The key's record if it is well-formed, known and not revoked; else null. */
  verify(key: string): ApiKey | null {
    if (!keyPattern.test(key)) return null;
    const hash = sha256(key);
    const row = this.core.prepare('SELECT * FROM api_keys WHERE hash = ?').get(hash.toString('hex')) as ApiKeyRow | undefined;
    // The lookup is by the hash of a high-entropy key; the comparison is still constant-time.
    if (row === undefined || !timingSafeEqual(Buffer.from(row.hash, 'hex'), hash)) return null;
    return row.revoked_at === null ? toApiKey(row) : null;
  }

  get(id: string): ApiKey {
    const row = this.core.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
    if (row === undefined) throw new NotFoundError(`No API key '${id}'.`, { hint: 'List keys with `orch api-key list`.' });
    return toApiKey(row);
  }

  list(): ApiKey[] {
    return (this.core.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as ApiKeyRow[]).map(toApiKey);
  }

  /** Revoke a key for good; revoking twice is harmless. */
  revoke(id: string): ApiKey {
    this.get(id);
    this.core.tx(() => {
      this.core.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(nowIso(), id);
    });
    return this.get(id);
  }

  touch(id: string): void {
    this.core.tx(() => {
      this.core.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(nowIso(), id);
    });
  }
}
