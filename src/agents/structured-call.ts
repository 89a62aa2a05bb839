// One judging call with a JSON answer: run a read-only agent, read and validate its answer, and give a malformed
// answer exactly one repair round. Expected failures (auth, rate limit, timeout, bad answers) come back as data.
import type { z } from 'zod';
import type { AgentEvent } from '../domain/agent-events.ts';
import type { SandboxRequest } from '../sandbox/index.ts';
import type { AgentAdapter } from './adapter.ts';
import { runAgent, type AgentRun } from './run-agent.ts';
import { parseJsonAnswer } from './json-answer.ts';
import { fence, renderPrompt } from './prompt-template.ts';

/** Summed over every agent call a judgement made (a repair round included). */
export interface CallUsage {
  turns: number;
  /** Input tokens, cache reads and writes included. */
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** How to run an agent for one structured answer: reviewers, comparators, planners. */
export interface AgentCallOptions {
  adapter: AgentAdapter;
  /** The agent's working directory; it only reads there. */
  cwd: string;
  stateDir: string;
  env: Record<string, string>;
  model?: string | undefined;
  maxTurns?: number | undefined;
  /** The limit for the whole judgement, the repair round included. */
  timeoutMs: number;
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Every call's output lines are appended here. */
  logPath?: string | undefined;
  /** The sandbox the agent runs in (read-only in its cwd). */
  sandbox?: SandboxRequest | undefined;
}

export interface StructuredCallRequest<T> extends AgentCallOptions {
  prompt: string;
  schema: z.ZodType<T>;
}

export type StructuredCallOutcome<T> =
  | { ok: true; value: T; usage: CallUsage; repaired: boolean }
  | { ok: false; error: string; usage: CallUsage };

/** A previous answer quoted in the repair prompt is cut here: the model needs its gist, not every word. */
const quotedAnswerChars = 4000;

export function emptyCallUsage(): CallUsage {
  return { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

function addUsage(total: CallUsage, run: AgentRun): void {
  const result = run.result;
  if (result === undefined) return;
  total.turns += result.turns;
  total.inputTokens += result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens;
  total.outputTokens += result.usage.outputTokens;
  total.costUsd += result.costUsd;
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Why an agent call produced no usable answer, in a sentence; undefined when it ended normally. */
export function agentFailure(run: AgentRun, adapterName: string): string | undefined {
  const { process: proc, result } = run;
  if (proc.spawnError) return `${adapterName} could not be started: ${proc.spawnError.message}`;
  if (proc.canceled) return `${adapterName} was canceled`;
  if (proc.timedOut) return `${adapterName} ran past the time limit`;
  if (proc.idledOut) return `${adapterName} printed nothing within the idle limit`;
  if (run.classification === 'ok') return undefined;
  const said = result === undefined ? '' : clip([...result.errors, result.text].filter((part) => part !== '').join('; '), 300);
  const status = result?.apiErrorStatus ?? null;
  const detail = [status === null ? '' : `HTTP ${status}`, said].filter((part) => part !== '').join(': ');
  const exit = `exit ${proc.exitCode ?? proc.signal ?? 'unknown'}`;
  const what: Record<Exclude<AgentRun['classification'], 'ok'>, string> = {
    auth: 'authentication failed',
    rate_limited: 'rate limited',
    budget: 'reached its budget',
    max_turns: 'reached its turn limit before answering',
    transient: 'failed with a transient API error',
    fatal: 'failed',
  };
  return `${adapterName} ${what[run.classification]} (${detail === '' ? exit : `${exit}; ${detail}`})`;
}

function sessionOf(run: AgentRun): string | undefined {
  const session = run.events.findLast((event): event is Extract<AgentEvent, { kind: 'session' }> => event.kind === 'session');
  return run.result?.sessionId ?? session?.sessionId;
}

export function repairPrompt(error: string, previousAnswer: string): string {
  return renderPrompt('repair', {
    error: fence(error),
    previousAnswer: fence(clip(previousAnswer, quotedAnswerChars) || '(empty)'),
  });
}

export async function structuredCall<T>(request: StructuredCallRequest<T>): Promise<StructuredCallOutcome<T>> {
  const usage = emptyCallUsage();
  const deadline = Date.now() + request.timeoutMs;

  const call = async (prompt: string, resumeSessionId: string | undefined): Promise<{ run: AgentRun } | { error: string }> => {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return { error: `${request.adapter.name} ran past the time limit` };
    const run = await runAgent({
      adapter: request.adapter,
      spec: {
        prompt,
        cwd: request.cwd,
        model: request.model,
        maxTurns: request.maxTurns,
        resumeSessionId,
        readOnly: true,
        stateDir: request.stateDir,
        env: request.env,
      },
      totalTimeoutMs: remainingMs,
      idleTimeoutMs: request.idleTimeoutMs,
      signal: request.signal,
      logPath: request.logPath,
      sandbox: request.sandbox === undefined ? undefined : { ...request.sandbox, readOnly: true },
    });
    addUsage(usage, run);
    const failure = agentFailure(run, request.adapter.name);
    return failure === undefined ? { run } : { error: failure };
  };

  const first = await call(request.prompt, undefined);
  if ('error' in first) return { ok: false, error: first.error, usage };
  const answer = parseJsonAnswer(first.run.finalText, request.schema);
  if (answer.ok) return { ok: true, value: answer.value, usage, repaired: false };

  // One repair round: in the same session when the agent can resume it, else a fresh call that repeats the task.
  const repair = repairPrompt(answer.error, first.run.finalText);
  const sessionId = request.adapter.supportsResume ? sessionOf(first.run) : undefined;
  const second = await call(sessionId === undefined ? `${request.prompt}\n\n---\n\n${repair}` : repair, sessionId);
  if ('error' in second) return { ok: false, error: `repair round: ${second.error}`, usage };
  const repaired = parseJsonAnswer(second.run.finalText, request.schema);
  if (repaired.ok) return { ok: true, value: repaired.value, usage, repaired: true };
  return { ok: false, error: `malformed answer, even after one repair round: ${repaired.error}`, usage };
}
