// Waiting on parallel work without abandoning any of it: when one branch fails, the others still finish (they
// stop with the run's signal if the failure interrupted it) before the failure is raised. A run must never be
// recorded as over while some of its attempts are still working.
export async function settleAll<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
