// The agent limit: at most `max` agents at once across runs, the rest wait their turn in arrival order, and a
// stopped run's waiting work leaves the queue without taking a slot.
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../domain/errors.ts';
import { Limiter } from './limiter.ts';

/** Work that runs until the test ends it; records when it started. */
function gatedWork(started: string[], name: string) {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => (finish = resolve));
  return {
    work: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(name),
  };
}

/** Let every pending callback run: the limiter hands slots on in promise callbacks, never on a clock. */
const drain = () => new Promise((resolve) => setImmediate(resolve));

describe('the agent limiter', () => {
  it('runs at most max at once and starts the waiting work in arrival order as slots free', async () => {
    const limiter = new Limiter(2);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((name) => gatedWork(started, name));
    const results = jobs.map((job) => limiter.run(job.work));
    await drain();
    expect(started).toEqual(['a', 'b']);
    expect([limiter.active, limiter.queued]).toEqual([2, 3]);

    jobs[1]?.finish();
    await drain();
    expect(started).toEqual(['a', 'b', 'c']);
    jobs[0]?.finish();
    await drain();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect([limiter.active, limiter.queued]).toEqual([2, 1]);

    for (const job of jobs) job.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
  });

  it('hands a freed slot to the most urgent priority first (lower number), in arrival order within one', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    const jobs = new Map(['first', 'low-1', 'high', 'low-2', 'mid'].map((name) => [name, gatedWork(started, name)]));
    const priorities: Record<string, number> = { first: 0, 'low-1': 3, high: 1, 'low-2': 3, mid: 2 };
    const results = [...jobs].map(([name, job]) => limiter.run(job.work, undefined, priorities[name]));
    await drain();
    for (const name of ['first', 'high', 'mid', 'low-1', 'low-2']) {
      expect(started.at(-1)).toBe(name);
      jobs.get(name)?.finish();
      await drain();
    }
    expect(started).toEqual(['first', 'high', 'mid', 'low-1', 'low-2']);
    await Promise.all(results);
  });

  it('frees the slot of work that failed', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('agent crashed')))).rejects.toThrow('agent crashed');
    expect(limiter.active).toBe(0);
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('takes waiting work out of the queue when its run stops, and starts the one after it', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gatedWork(started, name));
    const stop = new AbortController();
    const first = limiter.run(a!.work);
    const second = limiter.run(b!.work, stop.signal);
    const third = limiter.run(c!.work);
    await drain();
    stop.abort();
    await expect(second).rejects.toBeInstanceOf(InterruptedError);
    expect(limiter.queued).toBe(1);
    a!.finish();
    c!.finish();
    expect(await Promise.all([first, third])).toEqual(['a', 'c']);
    expect(started).toEqual(['a', 'c']);
  });

  it('refuses work whose run has already stopped', async () => {
    const limiter = new Limiter(1);
    let ran = false;
    await expect(limiter.run(() => Promise.resolve((ran = true)), AbortSignal.abort())).rejects.toBeInstanceOf(InterruptedError);
    expect(ran).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it('does not let a stop after the turn came interrupt the running work', async () => {
    const limiter = new Limiter(1);
    const stop = new AbortController();
    const result = limiter.run(() => Promise.resolve('kept'), stop.signal);
    stop.abort();
    expect(await result).toBe('kept');
  });

  it('refuses a limit that is not a positive integer, saying what it got', () => {
    expect(() => new Limiter(0)).toThrow('the agent limit must be a positive integer, not 0');
    expect(() => new Limiter(1.5)).toThrow(RangeError);
  });
});
