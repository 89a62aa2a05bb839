// Running an agent CLI once under supervision: its invocation, its output parsed into events as they come,
// its exit classified. Attempts, reviewers, planners and resolvers all go through here.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import { withOrchPrograms } from '../process/orch-programs.ts';
import { supervise, type ProcessResult } from '../process/supervise.ts';
import { prepareSandbox, type SandboxRequest } from '../sandbox/index.ts';
import type { AgentAdapter, AgentSpec } from './adapter.ts';
import { openOutputLog } from './output-log.ts';
import { makeRedactor, secretValues } from './redact.ts';

export interface AgentRunOptions {
  adapter: AgentAdapter;
  spec: AgentSpec;
  totalTimeoutMs?: number | undefined;
  idleTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Append every output line (JSON lines: time, stream, line) to this file. */
  logPath?: string | undefined;
  onEvent?: ((event: AgentEvent) => void) | undefined;
  onSpawn?: ((pid: number) => void) | undefined;
  /** Every output line, secrets removed, as it comes (for a log kept elsewhere than `logPath`). */
  onOutput?: ((stream: 'stdout' | 'stderr', line: string) => void) | undefined;
  /**
   * Applied to every output line before it is logged or parsed (to remove secrets). Whatever it does, the values
   * of secret-looking variables in the agent's own environment are removed too.
   */
  redact?: ((line: string) => string) | undefined;
  /** Run the agent in this sandbox (absent: with the user's rights, as `sandbox: none`). */
  sandbox?: SandboxRequest | undefined;
}

export interface AgentRun {
  process: ProcessResult;
  events: AgentEvent[];
  classification: AgentClassification;
  /** The final result event, when the agent printed one. */
  result: Extract<AgentEvent, { kind: 'result' }> | undefined;
  /** The agent's final answer: the result text, else the last text it printed. */
  finalText: string;
}

/** The child's environment: the parent's, with the invocation's variables set or removed. */
export function invocationEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  // The agent's program (and what it starts by name) is found where preflight found it: orch's own copies last.
  merged['PATH'] = withOrchPrograms(merged['PATH']);
  return merged;
}

const noSandbox: SandboxRequest = { mode: 'none', orchHome: '', kind: 'agent', network: 'host', allowHosts: [], maxProcesses: 0 };

export async function runAgent(options: AgentRunOptions): Promise<AgentRun> {
  const { adapter, spec } = options;
  const invocation = adapter.buildInvocation(spec);
  const events: AgentEvent[] = [];
  const env = invocationEnv(invocation.env);
  const ownSecrets = makeRedactor(secretValues(env));
  const redact = options.redact === undefined ? ownSecrets : (line: string) => ownSecrets(options.redact?.(line) ?? line);
  // Agent output is private: the log is 0600 in a 0700 directory.
  const log = options.logPath === undefined ? undefined : openOutputLog(options.logPath);
  const sandboxed = await prepareSandbox(options.sandbox ?? noSandbox, { argv: invocation.argv, cwd: spec.cwd, env });
  const processResult = await supervise({
    argv: sandboxed.argv,
    cwd: spec.cwd,
    env: sandboxed.env,
    ...(invocation.stdin !== undefined ? { stdin: invocation.stdin } : {}),
    ...(options.totalTimeoutMs !== undefined ? { totalTimeoutMs: options.totalTimeoutMs } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onSpawn !== undefined ? { onSpawn: options.onSpawn } : {}),
    onLine: (stream, raw) => {
      const line = redact(raw);
      if (stream !== 'stdout' || adapter.isStreamDetail?.(line) !== true) {
        log?.write(stream, line);
        options.onOutput?.(stream, line);
      }
      if (stream !== 'stdout') return;
      for (const event of adapter.parse(line)) {
        events.push(event);
        options.onEvent?.(event);
      }
    },
  }).finally(() => sandboxed.close());
  await log?.close();
  const result = events.findLast((event): event is Extract<AgentEvent, { kind: 'result' }> => event.kind === 'result');
  const lastText = events.findLast((event) => event.kind === 'text');
  return {
    process: processResult,
    events,
    classification: adapter.classify({ exitCode: processResult.exitCode, signal: processResult.signal }, events),
    result,
    finalText: result?.text || (lastText?.kind === 'text' ? lastText.text : ''),
  };
}
