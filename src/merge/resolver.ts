// The conflict resolver: an agent in the integration worktree, told what both sides meant and shown the
// conflicting hunks, edits the files until no conflict marker is left.
import type { AgentAdapter } from '../agents/adapter.ts';
import { fence, renderPrompt } from '../agents/prompt-template.ts';
import { runAgent } from '../agents/run-agent.ts';
import type { AgentCallUsage } from '../domain/records.ts';
import { conflictExcerpt, filesWithConflictMarkers } from '../git/index.ts';
import type { SandboxRequest } from '../sandbox/index.ts';

export interface ResolveRequest {
  adapter: AgentAdapter;
  worktree: string;
  conflicts: string[];
  /** What the change being merged is for. */
  incomingIntent: string;
  /** What the target already holds that the change collides with. */
  targetIntent: string;
  stateDir: string;
  env: Record<string, string>;
  model?: string | undefined;
  timeoutMs: number;
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
  logPath?: string | undefined;
  sandbox?: SandboxRequest | undefined;
}

export type ResolveOutcome = { resolved: true; usage: AgentCallUsage } | { resolved: false; error: string; usage: AgentCallUsage };

export async function resolveConflicts(request: ResolveRequest): Promise<ResolveOutcome> {
  const prompt = renderPrompt('resolve', {
    incoming: fence(request.incomingIntent),
    target: fence(request.targetIntent),
    files: request.conflicts.map((f) => `- ${f}`).join('\n'),
    hunks: fence(await conflictExcerpt(request.worktree, request.conflicts)),
  });
  const run = await runAgent({
    adapter: request.adapter,
    spec: { prompt, cwd: request.worktree, model: request.model, stateDir: request.stateDir, env: request.env },
    totalTimeoutMs: request.timeoutMs,
    idleTimeoutMs: request.idleTimeoutMs,
    signal: request.signal,
    logPath: request.logPath,
    sandbox: request.sandbox,
  });
  const result = run.result;
  const usage: AgentCallUsage = {
    turns: result?.turns ?? 0,
    inputTokens: (result?.usage.inputTokens ?? 0) + (result?.usage.cacheReadTokens ?? 0) + (result?.usage.cacheWriteTokens ?? 0),
    outputTokens: result?.usage.outputTokens ?? 0,
    costUsd: result?.costUsd ?? 0,
  };
  if (run.classification !== 'ok') return { resolved: false, error: `the resolver ended ${run.classification}`, usage };
  const left = await filesWithConflictMarkers(request.worktree, request.conflicts);
  if (left.length > 0) return { resolved: false, error: `conflict markers remain in ${left.join(', ')}`, usage };
  return { resolved: true, usage };
}
