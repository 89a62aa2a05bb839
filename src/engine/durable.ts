// The durable step: a finished step returns its stored result; an unfinished one does its work and stores
// the result. A step's key is the strategy's, so the same strategy code finds the same steps again on resume.
import type { RunScope } from './deps.ts';

export async function durableStep<T>(
  scope: RunScope,
  key: string,
  input: unknown,
  work: () => Promise<{ value: T; stored: unknown } | { value: T; unfinished: true }>,
  load: (stored: unknown) => T,
): Promise<T> {
  const { steps } = scope.deps.store;
  const done = steps.find(scope.runId, key);
  if (done?.status === 'completed') return load(done.result);
  steps.start(scope.runId, key, input);
  const running = work();
  scope.inflight.add(running);
  let outcome: Awaited<typeof running>;
  try {
    outcome = await running;
  } finally {
    scope.inflight.delete(running);
  }
  // An unfinished step (an interrupted attempt) stays open: a resume does it again.
  if ('stored' in outcome) steps.complete(scope.runId, key, outcome.stored);
  return outcome.value;
}
