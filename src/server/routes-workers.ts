// The live `orch worker`s, from their heartbeats in the Redis this server was given.
import { ConflictError } from '../domain/errors.ts';
import { defineRoute, type AnyRoute, type ServerDeps } from './route.ts';
import { responses } from './schemas.ts';

export function workerRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workers',
      scope: 'read',
      summary: 'The live workers of the queue executor: host, agents, running attempts, last seen (409 when the server has no Redis).',
      status: 200,
      response: responses.workers,
      handle: async () => {
        const url = deps.redisUrl;
        if (url === null) throw new ConflictError('This server knows no Redis, so it sees no workers.', { hint: 'Start it with orch serve --redis <url> (or ORCH_REDIS_URL).' });
        // Loaded here: the Redis client costs start-up time every other route does without.
        const [{ connectRedis }, { listWorkers }] = await Promise.all([import('../distributed/connection.ts'), import('../distributed/workers-list.ts')]);
        const redis = connectRedis(url);
        try {
          return { workers: await listWorkers(redis) };
        } finally {
          redis.disconnect();
        }
      },
    }),
  ];
}
