// The project's own checks (test, lint) run in an attempt's worktree, each with its own time limit.
import { makeRedactor, secretValues } from '../agents/redact.ts';
import { run } from '../process/run.ts';
import { prepareSandbox, type SandboxRequest } from '../sandbox/index.ts';
import type { CheckCommand } from '../domain/config.ts';
import { renderCommand } from '../domain/config.ts';
import type { CheckResult } from '../domain/records.ts';

export interface CheckSpec {
  name: string;
  command: CheckCommand;
}

const outputTailChars = 4000;

/** argv for a check: a string is the user's own shell command (from their config or flags, never task text). */
export function checkArgv(command: CheckCommand): string[] {
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
}

/** The checks' sandbox: a check runs the agent's code (`npm test`), so it is confined like the agent. */
export type CheckSandbox = SandboxRequest | undefined;

export async function runCheck(check: CheckSpec, cwd: string, timeoutMs: number, signal?: AbortSignal, sandbox?: CheckSandbox): Promise<CheckResult> {
  const sandboxed = await prepareSandbox(sandbox ?? { mode: 'none', orchHome: '', kind: 'check', network: 'host', allowHosts: [], maxProcesses: 0 }, {
    argv: checkArgv(check.command),
    cwd,
    env: { ...process.env, CI: 'true' },
  });
  const result = await run(sandboxed.argv, {
    cwd,
    env: sandboxed.env,
    totalTimeoutMs: timeoutMs,
    maxOutputChars: outputTailChars * 4,
    ...(signal ? { signal } : {}),
  }).finally(() => sandboxed.close());
  const combined = [result.stdout, result.stderr].filter((text) => text.length > 0).join('\n');
  const spawnProblem = result.spawnError ? `could not start: ${result.spawnError.message}` : '';
  return {
    name: check.name,
    command: renderCommand(check.command),
    exitCode: result.exitCode,
    passed: result.exitCode === 0 && !result.timedOut && !result.canceled,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    // Checks inherit orch's environment: a test that prints an API key must not put it in the verdict.
    outputTail: makeRedactor(secretValues(process.env))(spawnProblem || combined).slice(-outputTailChars),
  };
}

export async function runChecks(checks: readonly CheckSpec[], cwd: string, timeoutMs: number, signal?: AbortSignal, sandbox?: CheckSandbox): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, cwd, timeoutMs, signal, sandbox));
  return results;
}
