// API keys on every /api/v1 route but /health: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
// Keys are never logged; a bad key and a missing key get the same 401.
import type { Context } from 'hono';
import type { ApiKey } from '../store/api-keys.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './errors.ts';
import type { Scope } from './route.ts';

const touchEveryMs = 60_000;

function presentedKey(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return c.req.header('x-api-key')?.trim();
}

/** The caller's key record if it is valid and has `scope`; else a 401 or 403 is thrown. */
export function authorize(c: Context, store: Store, scope: Exclude<Scope, 'public'>): ApiKey {
  const key = presentedKey(c);
  const record = key === undefined || key === '' ? null : store.apiKeys.verify(key);
  if (record === null) {
    throw new HttpError(401, 'unauthorized', 'A valid API key is required.', {
      hint: 'Send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"; create one with `orch api-key create --name <name>`.',
    });
  }
  if (!record.scopes.includes(scope)) {
    throw new HttpError(403, 'forbidden', `This API key lacks the '${scope}' scope.`, {
      hint: `Create a key with it: orch api-key create --name <name> --scope ${scope}`,
    });
  }
  // last_used_at is for people ("is this key still in use?"): a minute's precision spares a write per request.
  if (record.lastUsedAt === null || Date.now() - Date.parse(record.lastUsedAt) > touchEveryMs) store.apiKeys.touch(record.id);
  return record;
}
