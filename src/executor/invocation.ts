// One invocation of an attempt's agent: the one place an attempt's agent process is started. Under supervision,
// with one credential, its output redacted and reported line by line, its usage metered live. An attempt may take
// several (retries, credential rotation, resumed sessions).
import type { AgentAdapter } from '../agents/adapter.ts';
import type { Credential } from '../agents/credentials.ts';
import { makeRedactor, secretValues } from '../agents/redact.ts';
import { explainUnanswered } from '../agents/endpoint.ts';
import { runAgent, type AgentRun } from '../agents/run-agent.ts';
import type { AgentEvent } from '../domain/agent-events.ts';
import { processStartTime } from '../process/registry.ts';
import { sampleTree } from '../process/resources.ts';
import type { AttemptSink, AttemptSpec, Usage } from './contract.ts';
import { toolEscapes } from './tool-escape.ts';
import { UsageMeter } from './usage-meter.ts';

export interface Invocation {
  spec: AttemptSpec;
  adapter: AgentAdapter;
  prompt: string;
  resumeSessionId: string | null;
  credential: Credential;
  /** What the attempt used before this invocation. */
  before: Usage & { sessionId: string | null };
  /** The agent's own state directory on this machine. */
  stateDir: string;
  /** The MCP config file written for this attempt, if it offers the agent any. */
  mcp: { configPath: string; tools: string[] } | undefined;
  /** Host folders the sandboxed agent must also see (relays of the MCP servers). */
  readOnlyPaths: string[];
  signal: AbortSignal;
  sink: AttemptSink;
}

export interface InvocationEnd {
  run: AgentRun;
  /** The attempt's usage and session after this invocation. */
  after: Usage & { sessionId: string | null };
}

export async function invokeAgent(call: Invocation): Promise<InvocationEnd> {
  const { spec, sink } = call;
  // A new session's id is chosen here where the agent lets orch name it, and reported before the agent starts:
  // whatever happens to orch from here on, the session can be resumed.
  const newSessionId = call.resumeSessionId === null ? call.adapter.newSessionId?.() : undefined;
  if (newSessionId !== undefined) sink.emit({ type: 'session', sessionId: newSessionId });
  const meter = new UsageMeter(
    {
      usage: (usage, live) => sink.emit({ type: 'usage', usage, live }),
      session: (sessionId) => sink.emit({ type: 'session', sessionId }),
    },
    newSessionId === undefined ? call.before : { ...call.before, sessionId: newSessionId },
  );
  // The credential's variables win over the attempt's: that is what rotation means.
  const env = { ...spec.env, ...call.credential.env };
  // A retry the CLI reports without an HTTP status (nothing answered): orch looks at the endpoint itself, once per
  // invocation, and says what it found; the retry's line waits for that look (a few seconds at most).
  let unanswered: Promise<string | null> | undefined;
  const explanations: Promise<void>[] = [];
  const reportRetry = (data: Record<string, unknown>) => {
    unanswered ??= explainUnanswered(spec.agent, { ...process.env, ...env });
    explanations.push(unanswered.then((reason) => sink.emit({ type: 'activity', data: reason === null ? data : { ...data, reason } })));
  };
  // The agent's memory and CPU, sampled from its spawn to its end (a few events a minute per attempt).
  let stopSampling: (() => void) | undefined;
  const run = await runAgent({
    adapter: call.adapter,
    spec: {
      prompt: call.prompt,
      cwd: spec.worktree,
      model: spec.model ?? undefined,
      maxTurns: spec.limits.maxTurns ?? undefined,
      maxBudgetUsd: spec.limits.attemptUsd ?? undefined,
      resumeSessionId: call.resumeSessionId ?? undefined,
      sessionId: newSessionId,
      stateDir: call.stateDir,
      env,
      mcp: call.mcp,
    },
    totalTimeoutMs: spec.limits.totalTimeoutMs,
    idleTimeoutMs: spec.limits.idleTimeoutMs,
    signal: call.signal,
    sandbox: { ...spec.sandbox, readOnlyPaths: [...(spec.sandbox.readOnlyPaths ?? []), ...call.readOnlyPaths] },
    redact: makeRedactor(secretValues({ ...process.env, ...env })),
    onSpawn: (pid) => {
      sink.emit({ type: 'spawned', pid, pidStart: processStartTime(pid) });
      stopSampling = sampleTree(pid, (sample) => sink.emit({ type: 'resources', ...sample }));
    },
    onOutput: (stream, line) => sink.emit({ type: 'output', t: Date.now(), stream, line }),
    onEvent: (event) => {
      meter.observe(event);
      const data = activitySummary(event);
      if (event.kind === 'retry' && event.status === null && data) reportRetry(data);
      else if (data) sink.emit({ type: 'activity', data });
      for (const escape of toolEscapes(event, spec.worktree)) sink.emit({ type: 'escape', tool: escape.tool, path: escape.path });
    },
  });
  stopSampling?.();
  await Promise.all(explanations);
  meter.flush();
  return { run, after: meter.current() };
}

function activitySummary(event: AgentEvent): Record<string, unknown> | undefined {
  switch (event.kind) {
    case 'tool_use':
      return { kind: 'tool', tool: event.tool, summary: event.summary.slice(0, 300) };
    case 'text':
      return { kind: 'text', text: event.text.slice(0, 300) };
    case 'retry':
      return { kind: 'retry', attempt: event.attempt, delayMs: event.delayMs, status: event.status };
    case 'result':
      return { kind: 'result', isError: event.isError, turns: event.turns, costUsd: event.costUsd };
    default:
      return undefined;
  }
}
