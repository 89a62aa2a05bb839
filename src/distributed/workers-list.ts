// The live workers, from their heartbeats (keys that expire when a worker stops beating).
import type { Redis } from 'ioredis';
import { redisKeys, type WorkerBeat } from './protocol.ts';

export async function listWorkers(redis: Redis): Promise<WorkerBeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', redisKeys.workerPattern, 'COUNT', 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const beats = await redis.mget(...keys);
  return beats
    .filter((beat): beat is string => beat !== null)
    .map((beat) => JSON.parse(beat) as WorkerBeat)
    .sort((a, b) => a.id.localeCompare(b.id));
}
