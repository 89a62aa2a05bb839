// The project's own checks (test, lint) run in an attempt's worktree, each with its own time limit. A failing
// check runs again (`checks.reruns`): failing then passing is recorded as flaky. Per-test results come from the
// output (TAP, node's spec reporter) and from the report files the user names (JUnit XML, JSON reporters).
import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { makeRedactor, secretValues } from '../agents/redact.ts';
import { run } from '../process/run.ts';
import { prepareSandbox, type SandboxRequest } from '../sandbox/index.ts';
import type { CheckCommand } from '../domain/config.ts';
import { renderCommand } from '../domain/config.ts';
import type { CheckResult } from '../domain/records.ts';
import { mergeResults, parseOutput, parseReportFile, type TestResults } from './test-results.ts';

export interface CheckSpec {
  name: string;
  command: CheckCommand;
}

export interface CheckRunOptions {
  timeoutMs: number;
  /** Times a failing check is run again; default 0. */
  reruns?: number | undefined;
  /** Report files (relative to the worktree) the checks write: JUnit XML or a JSON reporter's output. */
  reports?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  /** The checks' sandbox: a check runs the agent's code (`npm test`), so it is confined like the agent. */
  sandbox?: SandboxRequest | undefined;
}

const noSandbox: SandboxRequest = { mode: 'none', orchHome: '', kind: 'check', network: 'host', allowHosts: [], maxProcesses: 0 };

const outputTailChars = 4000;
/** Output kept to find per-test results in; only the tail is stored. */
const parsedOutputChars = 4 * 1024 * 1024;
const maxReportBytes = 20 * 1024 * 1024;

/** argv for a check: a string is the user's own shell command (from their config or flags, never task text). */
export function checkArgv(command: CheckCommand): string[] {
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
}

/** A report path inside the worktree, or undefined for one that would lead out of it. */
function reportPath(cwd: string, path: string): string | undefined {
  const relative = normalize(path);
  return isAbsolute(relative) || relative.startsWith('..') ? undefined : join(cwd, relative);
}

async function readReports(cwd: string, reports: readonly string[]): Promise<(TestResults | undefined)[]> {
  return Promise.all(
    reports.map(async (path) => {
      const file = reportPath(cwd, path);
      if (file === undefined) return undefined;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      return text === undefined || text.length > maxReportBytes ? undefined : parseReportFile(text);
    }),
  );
}

/** The one place a check command is started. */
async function runCheckOnce(check: CheckSpec, cwd: string, options: CheckRunOptions): Promise<CheckResult> {
  const reports = options.reports ?? [];
  // A report left by an earlier run (or committed by the agent) must not stand in for this run's.
  const stale = reports.map((path) => reportPath(cwd, path)).filter((file): file is string => file !== undefined);
  await Promise.all(stale.map((file) => rm(file, { force: true })));
  const sandboxed = await prepareSandbox(options.sandbox ?? noSandbox, { argv: checkArgv(check.command), cwd, env: { ...process.env, CI: 'true' } });
  const result = await run(sandboxed.argv, {
    cwd,
    env: sandboxed.env,
    totalTimeoutMs: options.timeoutMs,
    maxOutputChars: parsedOutputChars,
    ...(options.signal ? { signal: options.signal } : {}),
  }).finally(() => sandboxed.close());
  const combined = [result.stdout, result.stderr].filter((text) => text.length > 0).join('\n');
  const spawnProblem = result.spawnError ? `could not start: ${result.spawnError.message}` : '';
  const tests = mergeResults([...(await readReports(cwd, reports)), parseOutput(result.stdout) ?? parseOutput(combined)]);
  return {
    name: check.name,
    command: renderCommand(check.command),
    exitCode: result.exitCode,
    passed: result.exitCode === 0 && !result.timedOut && !result.canceled,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    // Checks inherit orch's environment: a test that prints an API key must not put it in the verdict.
    outputTail: makeRedactor(secretValues(process.env))(spawnProblem || combined).slice(-outputTailChars),
    ...(tests ? { tests } : {}),
  };
}

/** Run a check; a failure runs again up to `reruns` times, and a later pass makes it a flaky pass. */
export async function runCheck(check: CheckSpec, cwd: string, options: CheckRunOptions): Promise<CheckResult> {
  const reruns = options.reruns ?? 0;
  let result = await runCheckOnce(check, cwd, options);
  let runs = 1;
  const firstFailure = result;
  while (!result.passed && runs <= reruns && !result.timedOut && options.signal?.aborted !== true) {
    result = await runCheckOnce(check, cwd, options);
    runs += 1;
  }
  if (runs === 1) return result;
  // A flaky pass keeps the failure's output: that is what a person needs to see.
  return result.passed ? { ...result, outputTail: firstFailure.outputTail, flaky: true, runs } : { ...result, runs };
}

export async function runChecks(checks: readonly CheckSpec[], cwd: string, options: CheckRunOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, cwd, options));
  return results;
}
