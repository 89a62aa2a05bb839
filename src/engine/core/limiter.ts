// A counting limit on agents running at once. Beyond it, work waits its turn: by priority (lower first: the
// portfolio's projects share one limit), then in arrival order.
//
// Two limits apply to every agent: its run's own (limits.maxAgents of the config the run was started with, or
// --max-agents; stored with the run) and its process's (the engine's `maxAgents`: `orch serve --max-agents`;
// none for `orch run`, which works on one run). Never the first run's config: that sized every later run.
import { InterruptedError } from '../../domain/errors.ts';

/** Somewhere agent work waits for its turn. */
export interface AgentSlots {
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export class Limiter implements AgentSlots {
  private running = 0;
  private readonly waiting: { grant: () => void; priority: number }[] = [];

  constructor(readonly max: number) {
    if (max !== Number.POSITIVE_INFINITY && (!Number.isInteger(max) || max < 1)) throw new RangeError(`the agent limit must be a positive integer, not ${max}`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Run `work` once a slot is free; a signal that aborts while waiting gives the turn up. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal, priority = 0): Promise<T> {
    await this.acquire(signal, priority);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined, priority: number): Promise<void> {
    if (signal?.aborted) return Promise.reject(new InterruptedError());
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.findIndex((w) => w.grant === grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new InterruptedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // After every waiter of the same or a more urgent priority: arrival order within a priority.
      const at = this.waiting.findIndex((w) => w.priority > priority);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { grant, priority });
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.grant();
  }
}

/**
 * A run's own limit inside its process's: work takes a slot of the run first, then one of the process, so a run
 * at its own limit waits without holding any of the process's slots. Both are taken in that order, always: no
 * two pieces of work can each hold what the other waits for.
 */
export function runSlots(processLimit: Limiter, perRun: number, priority = 0): AgentSlots {
  const own = new Limiter(perRun);
  return { run: (work, signal) => own.run(() => processLimit.run(work, signal, priority), signal) };
}
