// The executor that runs attempts on this machine. It works only from the spec (paths, shas) and its own plain
// dependencies — adapters, credential pools, the agents' state directories — which an `orch worker` process could
// build for itself; it reports only through the sink. It never reads or writes the store.
//
// One attempt, start to end: worktree and branch; the agent under supervision, retried for passing failures and
// rotated across credentials on rate limits; then whatever it left committed on its branch and measured.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AgentAdapter } from '../agents/adapter.ts';
import type { CredentialPool } from '../agents/credentials.ts';
import { controlFilesGuard, type ControlChange } from '../git/control-guard.ts';
import { addWorktree, commitAll, copySetupFiles, diffStat, headSha, untrackedSetupFiles } from '../git/index.ts';
import { statusForReason, type AttemptResult, type AttemptSink, type AttemptSpec, type Executor, type Usage } from './contract.ts';
import { acquireCredential, retryAfterMs, type Waited } from './credential-wait.ts';
import { invokeAgent, type InvocationEnd } from './invocation.ts';
import { offerMcp, type McpOffer } from './mcp-config.ts';
import { nextStep, type RetryCounts } from './retry-policy.ts';
import { coordinatorStop, invocationEnding, noChanges, type Ending } from './stop-cause.ts';

export interface LocalExecutorDeps {
  /** The adapter for an agent name (built from the project's config). */
  adapterFor(agent: string): AgentAdapter;
  /** This machine's credential pools (from its credentials file): rotation and cooldowns shared by its attempts. */
  credentials: { pool(agent: string): CredentialPool };
  /** A directory for an agent's own state on this machine (sessions, settings, MCP configs). */
  agentStateDir(agent: string): string;
  logger?: Logger | undefined;
}

/** Rate limits one attempt tries its way through before it fails `rate_limited`, however the keys rotate. */
const maxRateLimitRetries = 20;

type UsageAndSession = Usage & { sessionId: string | null };

export class LocalExecutor implements Executor {
  constructor(private readonly deps: LocalExecutorDeps) {}

  async runAttempt(spec: AttemptSpec, sink: AttemptSink, signal: AbortSignal): Promise<AttemptResult> {
    const log = this.deps.logger?.child({ run: spec.runId, attempt: spec.attemptId });
    if (!spec.reuseWorktree) {
      await addWorktree(spec.repo, { path: spec.worktree, branch: spec.branch, startSha: spec.startSha });
      sink.emit({ type: 'worktree', path: spec.worktree, branch: spec.branch });
    }
    // The project's setup files (.env) the agent and the checks need; a resumed worktree keeps its own copies.
    copySetupFiles(spec.repo.root, spec.worktree, spec.copyFiles);
    const leaveOut = await untrackedSetupFiles(spec.repo, spec.baseSha, spec.copyFiles);
    // The repository's git config, hooks and info are watched while the agent works, and put back whatever it did
    // to them (one guard per repository in this process: attempts running at once share it).
    const guard = controlFilesGuard(spec.repo.commonDir);
    await guard.begin(spec.attemptId, spec.worktree, (changes, alongside) => sink.emit({ type: 'tampered', changes, alongside }));
    let outcome: Awaited<ReturnType<LocalExecutor['invokeUntilDone']>>;
    let gitChanges: ControlChange[];
    try {
      outcome = await this.invokeUntilDone(spec, sink, signal, log);
    } finally {
      gitChanges = await guard.end(spec.attemptId);
    }
    const { ending, after } = outcome;

    // Whatever the agent left, even on failure, is kept on its branch: nothing finished is lost.
    const committed = await commitAll(spec.worktree, spec.commitMessage, undefined, leaveOut);
    const head = committed ?? (await headSha(spec.worktree));
    const diff = await diffStat(spec.repo, spec.baseSha, head);
    const end = ending.reason === 'completed' && diff.filesChanged === 0 ? noChanges : ending;
    const { sessionId, ...usage } = after;
    const result: AttemptResult = { status: end.resumable === true ? 'interrupted' : statusForReason(end.reason), reason: end.reason, detail: end.detail, headSha: head, diff, gitChanges, usage, sessionId };
    log?.info({ status: result.status, reason: result.reason }, 'attempt finished');
    return result;
  }

  /** The agent invoked until it is done, retried, rotated or stopped: how it ended, and what it used. */
  private async invokeUntilDone(spec: AttemptSpec, sink: AttemptSink, signal: AbortSignal, log: Logger | undefined): Promise<{ ending: Ending; after: UsageAndSession }> {
    const adapter = this.deps.adapterFor(spec.agent);
    const pool = this.deps.credentials.pool(spec.agent);
    const stateDir = this.deps.agentStateDir(spec.agent);
    const offer = await offerMcp(spec, stateDir);
    try {
      return await this.invokeWith(spec, sink, signal, log, { adapter, pool, stateDir, offer });
    } finally {
      await offer?.close();
    }
  }

  private async invokeWith(
    spec: AttemptSpec,
    sink: AttemptSink,
    signal: AbortSignal,
    log: Logger | undefined,
    { adapter, pool, stateDir, offer }: { adapter: AgentAdapter; pool: CredentialPool; stateDir: string; offer: McpOffer | undefined },
  ): Promise<{ ending: Ending; after: UsageAndSession }> {
    const { retries } = spec.limits;
    const counts: RetryCounts = { transient: 0, stuck: 0 };
    const waited: Waited = { coolingMs: 0 };
    let rateLimits = 0;
    let prompt = spec.prompt;
    let resumeSessionId = spec.resumeSessionId;
    let after: UsageAndSession = spec.before;
    for (;;) {
      // The coordinator's stop ends the attempt: before its first invocation, or instead of a retry.
      if (signal.aborted) return { ending: coordinatorStop(signal), after };
      const lease = await acquireCredential(pool, signal, retries.maxRateLimitWaitMs, waited, (forMs) => sink.emit({ type: 'credential_wait', forMs }));
      if (lease === undefined) {
        if (signal.aborted) return { ending: coordinatorStop(signal), after };
        return { ending: { reason: 'rate_limited', detail: `every ${spec.agent} credential is rate-limited for longer than the wait limit` }, after };
      }
      if (pool.credentials.length > 1) sink.emit({ type: 'credential', credential: lease.credential.name });
      log?.info({ credential: lease.credential.name, resume: resumeSessionId !== null }, 'agent starting');
      let end: InvocationEnd;
      try {
        end = await invokeAgent({ spec, adapter, prompt, resumeSessionId, credential: lease.credential, before: after, stateDir, mcp: offer?.mcp, readOnlyPaths: offer?.readOnlyPaths ?? [], signal, sink });
      } finally {
        lease.release();
      }
      after = end.after;
      // A session that was never written down (its agent killed before the first answer: a sandboxed agent dies
      // with a killed orch) cannot be resumed; the worktree keeps its files, so a fresh session goes on from there.
      if (resumeSessionId !== null && !signal.aborted && sessionLost(end.run)) {
        log?.info({ session: resumeSessionId }, 'session not found; starting a fresh one in the same worktree');
        resumeSessionId = null;
        after = { ...after, sessionId: null };
        continue;
      }
      const ending = invocationEnding(end.run, signal);
      if (ending.reason === 'rate_limited') {
        rateLimits++;
        const restMs = retryAfterMs(end.run) ?? retries.cooldownMs;
        pool.coolDown(lease.credential.name, restMs);
        sink.emit({ type: 'cooldown', credential: lease.credential.name, forMs: restMs });
      }
      const step = nextStep(ending.reason, counts, retries);
      if (step.kind === 'finish') return { ending, after };
      if (ending.reason === 'rate_limited' && rateLimits >= maxRateLimitRetries) {
        return { ending: { reason: 'rate_limited', detail: `rate-limited ${rateLimits} times in a row` }, after };
      }
      if (ending.reason === 'transient') counts.transient++;
      if (ending.reason === 'stuck') counts.stuck++;
      // The coordinator may refuse the retry (a spent budget) by aborting the signal as it records this.
      sink.emit({ type: 'retry', reason: ending.reason, delayMs: step.delayMs, afterCredential: lease.credential.name });
      if (step.delayMs > 0) await sleep(step.delayMs, undefined, { signal }).catch(() => undefined);
      // Go on where the agent stopped: its own session where it has one (the worktree keeps its files anyway).
      if (adapter.supportsResume && after.sessionId !== null) {
        resumeSessionId = after.sessionId;
        prompt = spec.continuePrompt;
      }
    }
  }
}

/** The agent said the session it was asked to resume does not exist (Claude Code: "No conversation found"). */
function sessionLost(run: InvocationEnd['run']): boolean {
  const said = [run.finalText, ...(run.result?.errors ?? [])].join('\n');
  return /no conversation found with session id|session .* not found/i.test(said);
}
