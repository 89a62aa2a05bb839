// Running the real orch CLI as a child process, with its own ORCH_HOME: through bin/orch.js, as users do (the
// compiled CLI when the build is as new as the sources, else the sources through tsx).
import { fileURLToPath } from 'node:url';
import { run } from '../../src/process/run.ts';
import { guard } from './slack.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** tsx resolved from orch's own node_modules, so the CLI runs from any working directory. */
export const tsxLoader = import.meta.resolve('tsx');
export const fakeAgent = fileURLToPath(new URL('../fixtures/fake-agent.mjs', import.meta.url));

export interface OrchResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export async function runOrch(args: readonly string[], options: { cwd: string; home: string; env?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal }): Promise<OrchResult> {
  const result = await run([process.execPath, `${repoRoot}/bin/orch.js`, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ORCH_HOME: options.home, ...options.env },
    totalTimeoutMs: guard(options.timeoutMs ?? 120_000),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** An orch.config.json using the fake agent with the given plan. */
export function fakeAgentConfig(plan: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    agent: 'command',
    agents: { command: { argv: [process.execPath, fakeAgent, '{prompt}'], env: { FAKE_AGENT: JSON.stringify(plan) } } },
    // Most tests are about something else than checks: their unchecked results may merge (judging.test.ts tests
    // that they do not by default).
    checks: { allowUnchecked: true },
    // The fake agent talks to its test through files outside its worktree (prompt copies, go-ahead files), which
    // the OS sandbox rightly hides. The sandbox has its own battery (sandbox-escape.test.ts) and the real-CLI
    // tests run sandboxed.
    sandbox: { mode: 'none' },
    ...extra,
  });
}
