// Every deadline in the tests is a guard against a hang, never a way to wait: a test waits on a condition and the
// deadline only names what never happened. The suite must pass on a machine loaded to ten times its cores, where
// an agent CLI that starts in 2 s on a quiet machine takes 40, so every guard is stretched by this factor
// (ORCH_TEST_SLACK, default 4). A loaded machine makes the suite slower, never red.
export const slack = Math.max(1, Number(process.env.ORCH_TEST_SLACK ?? 4) || 4);

/** A guard of `ms` on a quiet machine, stretched for this one. */
export function guard(ms: number): number {
  return ms * slack;
}
