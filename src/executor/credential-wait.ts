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

/** How long a rate-limited credential should rest, if the agent said: a retry delay it reported, or a message
 * that names the reset ("retry after 20", "usage limit reached|<epoch seconds>", "resets at <ISO time>",
 * "try again in 2 hours 5 minutes"). */
export function retryAfterMs(run: AgentRun, now = Date.now()): number | undefined {
  const retry = run.events.findLast((event) => event.kind === 'retry');
  if (retry?.kind === 'retry' && retry.delayMs > 0) return retry.delayMs;
  const text = run.result ? [run.result.text, ...run.result.errors].join(' ') : '';
  return resetFromMessage(text, now);
}

const unitMs: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hr: 3_600_000, hour: 3_600_000 };

export function resetFromMessage(text: string, now = Date.now()): number | undefined {
  const seconds = /retry[- ]after\D{0,5}(\d+)/i.exec(text)?.[1];
  if (seconds !== undefined) return Number(seconds) * 1000;
  // Claude Code's subscription limit: "Claude AI usage limit reached|1767225600".
  const epoch = /usage limit reached\|(\d{10})\b/i.exec(text)?.[1];
  if (epoch !== undefined) return Math.max(0, Number(epoch) * 1000 - now);
  const at = /resets?\s+(?:at\s+)?(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)/i.exec(text)?.[1];
  if (at !== undefined && !Number.isNaN(Date.parse(at))) return Math.max(0, Date.parse(at) - now);
  const inText = /try again in\s+((?:\d+\s*(?:hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b[\s,and]*)+)/i.exec(text)?.[1];
  if (inText !== undefined) {
    let total = 0;
    for (const part of inText.matchAll(/(\d+)\s*(hour|hr|h|minute|min|m|second|sec|s)/gi)) total += Number(part[1]) * (unitMs[(part[2] ?? 's').toLowerCase()] ?? 1000);
    if (total > 0) return total;
  }
  return undefined;
}
