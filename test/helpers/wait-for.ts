// Waiting on a condition instead of a fixed sleep: a test goes on as soon as what it waits for is true, and a
// loaded machine only makes it slower, never wrong. The timeout is a last resort that names what never happened.
import { guard } from './slack.ts';

export interface WaitForOptions {
  /** Give up after this long on a quiet machine (default 30 s), stretched by the test slack (helpers/slack.ts). */
  timeoutMs?: number;
  /** How often to look (default 10 ms). */
  intervalMs?: number;
  /** What is being waited for, for the error message. */
  what?: string;
}

/** Poll `condition` until it returns a truthy value (or a promise of one), and return that value. */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 30_000, intervalMs = 10, what = 'the condition' } = options;
  const deadline = Date.now() + guard(timeoutMs);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      // A condition may throw while the state it reads is not there yet (an assertion, a missing file).
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`waited ${guard(timeoutMs)} ms for ${what}, and it never happened${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
