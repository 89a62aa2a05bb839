// One real redis-server for the tests of a file (see redis-server.ts), started before them and stopped after.
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from './redis-server.ts';

export type { TestRedis } from './redis-server.ts';

/** One redis-server for the tests of a file, started before them and stopped after: `redis()` inside a test. */
export function useRedis(): () => TestRedis {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
  });
  return () => {
    if (redis === undefined) throw new Error('redis-server did not start');
    return redis;
  };
}
