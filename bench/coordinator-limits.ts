// What limits one coordinator, measured here: how fast the store takes events (one SQLite writer), how fast one Redis
// takes an attempt's streamed events, and how many BullMQ jobs a second go through a queue with no-op workers.
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { connectRedis, redisOptions } from '../src/distributed/connection.ts';
import { EventStreamWriter } from '../src/distributed/event-stream.ts';
import { Store } from '../src/store/store.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { report, scratchDir } from './lib.ts';

function sqliteEvents(dir: string, n: number): number {
  const store = new Store(join(dir, 'orch.db'));
  const started = performance.now();
  for (let i = 0; i < n; i++) store.events.append({ runId: null, type: 'attempt.activity', data: { kind: 'tool', tool: 'Edit', summary: `src/file-${i}.ts` } });
  const ms = performance.now() - started;
  store.close();
  return (n / ms) * 1000;
}

async function redisStream(url: string, n: number): Promise<number> {
  const redis = connectRedis(url);
  const writer = new EventStreamWriter(redis, 'bench');
  const started = performance.now();
  for (let i = 0; i < n; i++) writer.add({ type: 'output', t: Date.now(), stream: 'stdout', line: `line ${i} of the agent's output` });
  await writer.flush();
  const ms = performance.now() - started;
  redis.disconnect();
  return (n / ms) * 1000;
}

async function queueJobs(url: string, n: number): Promise<number> {
  const connection = redisOptions(url);
  const queue = new Queue('bench', { connection, prefix: 'orch-bench' });
  const events = new QueueEvents('bench', { connection, prefix: 'orch-bench' });
  await events.waitUntilReady();
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  const worker = new Worker('bench', () => Promise.resolve({ ok: true }), { connection, prefix: 'orch-bench', concurrency: 16 });
  const started = performance.now();
  const jobs = await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'attempt', data: { i }, opts: { jobId: `j${i}` } })));
  await Promise.all(jobs.map((job) => job.waitUntilFinished(events)));
  const ms = performance.now() - started;
  await Promise.all([worker.close(), queue.close(), events.close()]);
  return (n / ms) * 1000;
}

export async function benchCoordinatorLimits(): Promise<void> {
  const dir = scratchDir('limits');
  const redis = await startRedis();
  try {
    const events = sqliteEvents(dir, 20_000);
    const stream = await redisStream(redis.url, 20_000);
    const jobs = await queueJobs(redis.url, 2_000);
    console.log('what one coordinator can take (see docs/scale.md)');
    report('SQLite event appends (one writer)', `${events.toFixed(0)} /s`, '', 1);
    report('Redis stream entries, one worker, in order', `${stream.toFixed(0)} /s`, `${events.toFixed(0)} /s (SQLite)`, stream / events);
    report('BullMQ jobs through a queue (no-op work)', `${jobs.toFixed(0)} /s`, '', 1);
  } finally {
    await redis.stop();
  }
}
