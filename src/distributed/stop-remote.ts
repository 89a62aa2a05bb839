// Stopping attempts of a run no coordinator works on any more (it died, and the run is being canceled): their jobs
// may still run on workers. Each gets its stop key and message, as a live coordinator would send; a job still waiting
// is taken off its queue.
import { Queue } from 'bullmq';
import type { StopRequest } from '../executor/contract.ts';
import { connectRedis, redisOptions } from './connection.ts';
import { keepSeconds, queueName, queuePrefix, redisKeys } from './protocol.ts';

export async function stopRemoteAttempts(redisUrl: string, attempts: { id: string; agent: string }[], request: StopRequest): Promise<void> {
  if (attempts.length === 0) return;
  const redis = connectRedis(redisUrl);
  const queues = new Map<string, Queue>();
  try {
    for (const attempt of attempts) {
      await redis.set(redisKeys.stop(attempt.id), JSON.stringify(request), 'EX', keepSeconds);
      await redis.publish(redisKeys.stopChannel, attempt.id);
      let queue = queues.get(attempt.agent);
      if (queue === undefined) {
        queue = new Queue(queueName(attempt.agent), { connection: redisOptions(redisUrl), prefix: queuePrefix });
        queues.set(attempt.agent, queue);
      }
      const job = await queue.getJob(attempt.id);
      const state = await job?.getState();
      if (job !== undefined && (state === 'waiting' || state === 'prioritized' || state === 'delayed')) await job.remove().catch(() => undefined);
    }
  } finally {
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    redis.disconnect();
  }
}
