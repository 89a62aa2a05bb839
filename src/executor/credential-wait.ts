// Taking a credential for one invocation, and how long a rate-limited one should rest.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CredentialPool, Lease } from '../agents/credentials.ts';
import type { AgentRun } from '../agents/run-agent.ts';

/** Rate-limit waits of one attempt, summed over all its retries: the limit is on the total, not per wait. */
export interface Waited {
  coolingMs: number;
}

/** A credential that may be used now. Waiting while all are rate-limited counts against the attempt's limit;
 * waiting for a slot under a credential's concurrency cap does not (that is a queue, not a failure). */
export async function acquireCredential(pool: CredentialPool, signal: AbortSignal, maxWaitMs: number, waited: Waited, onCooling?: (forMs: number) => void): Promise<Lease | undefined> {
  for (;;) {
    const got = pool.tryAcquire();
    if ('credential' in got) return got;
    if (got.cooling && waited.coolingMs + got.waitMs > maxWaitMs) return undefined;
    if (got.cooling) onCooling?.(got.waitMs);
    await sleep(got.waitMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return undefined;
    if (got.cooling) waited.coolingMs += got.waitMs;
  }
}

/** How long a rate-limited credential should rest, if the agent said (a retry delay, or "retry after N s"). */
export function retryAfterMs(run: AgentRun): number | undefined {
  const retry = run.events.findLast((event) => event.kind === 'retry');
  if (retry?.kind === 'retry' && retry.delayMs > 0) return retry.delayMs;
  const text = run.result ? [run.result.text, ...run.result.errors].join(' ') : '';
  const seconds = /retry[- ]after\D{0,5}(\d+)/i.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}
