// Connecting to Redis (URLs checked by redis-url.ts); the password, where the server wants one, comes from
// ORCH_REDIS_PASSWORD.
import type { RedisOptions as QueueRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** Options for ioredis and BullMQ alike (BullMQ wants no retry limit per request: it retries itself). */
export function redisOptions(url: string, env: NodeJS.ProcessEnv = process.env): QueueRedisOptions & { url: string } {
  const password = env['ORCH_REDIS_PASSWORD'];
  return { url, maxRetriesPerRequest: null, ...(password !== undefined && password !== '' ? { password } : {}) };
}

/** A connection of orch's own (streams, stops, heartbeats). */
export function connectRedis(url: string, env: NodeJS.ProcessEnv = process.env): Redis {
  const password = env['ORCH_REDIS_PASSWORD'];
  const client = new Redis(url, { maxRetriesPerRequest: null, ...(password !== undefined && password !== '' ? { password } : {}) });
  // Connection errors are retried by ioredis; commands fail with their own error where it matters.
  client.on('error', () => undefined);
  return client;
}
