// A run's own agent limit inside its process's: each run waits at its own limit without holding the others up.
import { describe, expect, it } from 'vitest';
import { Limiter, runSlots } from './limiter.ts';

/** Work that stays in its slot until released, recording what ran at once. */
function gate() {
  const running = new Set<string>();
  let peak = 0;
  const releases = new Map<string, () => void>();
  const work = (name: string) => () =>
    new Promise<string>((resolve) => {
      running.add(name);
      peak = Math.max(peak, running.size);
      releases.set(name, () => {
        running.delete(name);
        resolve(name);
      });
    });
  const release = (name: string) => releases.get(name)?.();
  return { running, work, release, peak: () => peak };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runSlots', () => {
  it("holds a run at its own limit while another run uses the process's free slots", async () => {
    const processLimit = new Limiter(3);
    const a = runSlots(processLimit, 1);
    const b = runSlots(processLimit, 2);
    const g = gate();
    const done = [a.run(g.work('a1')), a.run(g.work('a2')), b.run(g.work('b1')), b.run(g.work('b2'))];
    await settle();
    // a2 waits for a1 (run a's limit is 1) without taking one of the process's slots.
    expect([...g.running].sort()).toEqual(['a1', 'b1', 'b2']);
    expect(processLimit.active).toBe(3);
    g.release('a1');
    await settle();
    expect([...g.running].sort()).toEqual(['a2', 'b1', 'b2']);
    for (const name of ['a2', 'b1', 'b2']) g.release(name);
    expect(await Promise.all(done)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(processLimit.active).toBe(0);
  });

  it("caps every run together at the process's limit", async () => {
    const processLimit = new Limiter(2);
    const g = gate();
    const [one, two] = [runSlots(processLimit, 4), runSlots(processLimit, 4)];
    const done = ['a', 'b', 'c', 'd'].map((name, i) => (i % 2 === 0 ? one : two).run(g.work(name)));
    await settle();
    expect(g.running.size).toBe(2);
    for (const name of ['a', 'b', 'c', 'd']) {
      g.release(name);
      await settle();
    }
    await Promise.all(done);
    expect(g.peak()).toBe(2);
  });

  it('has no process-wide cap when the engine sets none', async () => {
    const g = gate();
    const slots = runSlots(new Limiter(Number.POSITIVE_INFINITY), 3);
    const done = ['a', 'b', 'c', 'd'].map((name) => slots.run(g.work(name)));
    await settle();
    expect(g.running.size).toBe(3);
    for (const name of ['a', 'b', 'c', 'd']) {
      g.release(name);
      await settle();
    }
    await Promise.all(done);
  });
});
