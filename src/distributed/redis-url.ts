// Redis URLs orch takes: redis:// or rediss://, without a password (it would be stored with the run and shown in
// `ps`); the password, where the server wants one, comes from ORCH_REDIS_PASSWORD. No Redis client is loaded here:
// every `orch run` checks its flags with this.
import { UsageError } from '../domain/errors.ts';

export function assertRedisUrl(url: string, flag = '--redis'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${flag} must be a Redis URL, not '${url}'.`, { hint: 'For example: --redis redis://127.0.0.1:6379 (rediss:// for TLS).' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`${flag} must be a redis:// or rediss:// URL, not '${parsed.protocol}//…'.`, { hint: 'For example: --redis redis://127.0.0.1:6379' });
  }
  if (parsed.password !== '') {
    throw new UsageError(`${flag} holds a password; orch never stores one.`, { hint: 'Leave it out of the URL and set ORCH_REDIS_PASSWORD in the environment instead.' });
  }
  return url;
}
