// An attempt's events travel from the worker to the coordinator through a Redis stream, one per attempt: the worker
// appends in order, the coordinator reads from where it stopped (a coordinator that re-attaches reads it again).
import type { Redis } from 'ioredis';
import { keepSeconds, redisKeys, type StreamedEvent } from './protocol.ts';

/**
 * Appends events in the order they were emitted; `flush()` waits until all are in Redis. Events that arrive while a
 * write is on its way go together in the next one (one pipeline, one round trip), so a chatty agent is not held to
 * Redis's latency per line.
 */
export class EventStreamWriter {
  private buffer: string[] = [];
  private writing: Promise<void> | null = null;
  private failed: unknown;

  constructor(
    private readonly redis: Redis,
    private readonly attemptId: string,
  ) {}

  add(event: StreamedEvent): void {
    this.buffer.push(JSON.stringify(event));
    this.writing ??= this.writeAll();
  }

  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
    if (this.failed !== undefined) throw this.failed as Error;
  }

  private async writeAll(): Promise<void> {
    const key = redisKeys.events(this.attemptId);
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0);
        const pipeline = this.redis.pipeline();
        // Output lines can be many: the stream keeps the newest 20,000 entries (usage is cumulative, so the budget
        // loses nothing if the oldest lines go).
        for (const entry of batch) pipeline.xadd(key, 'MAXLEN', '~', '20000', '*', 'e', entry);
        pipeline.expire(key, keepSeconds);
        const results = (await pipeline.exec()) ?? [];
        const error = results.find(([failure]) => failure !== null)?.[0];
        if (error) throw error;
      }
    } catch (error) {
      this.failed ??= error;
      this.buffer = [];
    } finally {
      this.writing = null;
    }
  }
}

/** Reads an attempt's events from `from` on, handing each to `onEvent`, until stopped. */
export class EventStreamReader {
  private lastId: string;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly attemptId: string,
    private readonly onEvent: (event: StreamedEvent) => void,
    from = '0',
  ) {
    this.lastId = from;
    this.loop = this.run();
  }

  /** Read what is left (the worker wrote everything before its job ended), then stop. */
  async drain(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.readOnce(null);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.readOnce(1000);
      } catch {
        // Redis restarting: ioredis reconnects; read again.
        if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async readOnce(blockMs: number | null): Promise<void> {
    const key = redisKeys.events(this.attemptId);
    const answer = blockMs === null ? await this.redis.xread('COUNT', 1000, 'STREAMS', key, this.lastId) : await this.redis.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', key, this.lastId);
    for (const [, entries] of answer ?? []) {
      for (const [id, fields] of entries) {
        this.lastId = id;
        const raw = fields[1];
        if (raw === undefined) continue;
        this.onEvent(JSON.parse(raw) as StreamedEvent);
      }
    }
    if (blockMs === null && (answer?.[0]?.[1].length ?? 0) === 1000) await this.readOnce(null);
  }
}
