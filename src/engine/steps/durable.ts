// The durable step: a finished step returns its stored result; an unfinished one does its work and stores
// the result. A step's key is the strategy's, so the same strategy code finds the same steps again on resume.
import type { EngineDeps, RunScope } from '../core/deps.ts';

/** What a durable step needs of its run: where steps are stored, and the set of work the run waits for. */
export type StepScope = Pick<RunScope, 'runId' | 'inflight'> & { deps: Pick<EngineDeps, 'store'> };

/** What a step's work ends with: its value and what to store for a resume (plain JSON), or "not done yet". */
export type StepOutcome<T, S> = { value: T; stored: S } | { value: T; unfinished: true };

/** What a step stores, read off its work's outcomes (the unfinished ones store nothing). */
export type StoredOf<R> = R extends { stored: infer S } ? S : never;

/**
 * The stored result's type comes from the work that stored it, so `load` reads it back without a cast: the one
 * unchecked read (the store gives JSON back) lives here, under the key the same work wrote.
 */
export async function durableStep<R extends StepOutcome<unknown, unknown>>(
  scope: StepScope,
  key: string,
  input: unknown,
  work: () => Promise<R>,
  load: (stored: StoredOf<R>) => R['value'],
): Promise<R['value']> {
  const { steps } = scope.deps.store;
  const done = steps.find(scope.runId, key);
  if (done?.status === 'completed') return load(done.result as StoredOf<R>);
  steps.start(scope.runId, key, input);
  const running = work();
  scope.inflight.add(running);
  let outcome: R;
  try {
    outcome = await running;
  } finally {
    scope.inflight.delete(running);
  }
  // An unfinished step (an interrupted attempt) stays open: a resume does it again. Work may have completed its
  // step itself, in the transaction that made its result (a plan with its tasks): once is enough.
  if ('stored' in outcome && steps.find(scope.runId, key)?.status !== 'completed') steps.complete(scope.runId, key, outcome.stored);
  return outcome.value;
}
