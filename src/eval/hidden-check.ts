// The hidden check: the task's own verdict on a result, run after the run in a scratch checkout of the result's
// commit (the test patch, if any, applied there only: the agents never see it), sandboxed like orch's checks.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { git, noHooks } from '../git/index.ts';
import { runChecks } from '../judge/checks.ts';
import type { SandboxRequest } from '../sandbox/index.ts';
import type { HiddenCheck } from './suite.ts';

export interface HiddenOutcome {
  passed: boolean;
  /** The tail of its output, or why it could not run (a patch that does not apply). */
  output: string;
  durationMs: number;
}

export interface HiddenCheckRequest {
  /** The cell's clone. */
  root: string;
  sha: string;
  check: HiddenCheck;
  /** The test patch's path, absolute; null for a command-only check. */
  patch: string | null;
  /** Where the scratch checkout goes (removed after). */
  scratch: string;
  sandbox: SandboxRequest;
  signal?: AbortSignal | undefined;
}

async function removeScratch(root: string, scratch: string): Promise<void> {
  if (existsSync(scratch)) await git([...noHooks, 'worktree', 'remove', '--force', scratch], { cwd: root, allowFailure: true });
  await rm(scratch, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: root, allowFailure: true });
}

export async function runHiddenCheck(request: HiddenCheckRequest): Promise<HiddenOutcome> {
  const { root, scratch } = request;
  await removeScratch(root, scratch);
  await git([...noHooks, 'worktree', 'add', '--quiet', '--detach', '--end-of-options', scratch, request.sha], { cwd: root });
  try {
    if (request.patch !== null) {
      const applied = await git([...noHooks, 'apply', '--whitespace=nowarn', '--end-of-options', request.patch], { cwd: scratch, allowFailure: true });
      if (applied.exitCode !== 0) return { passed: false, output: `the hidden test patch does not apply to this result: ${applied.stderr.trim().slice(0, 2000)}`, durationMs: 0 };
    }
    const [result] = await runChecks([{ name: 'hidden', command: request.check.command }], scratch, {
      timeoutMs: request.check.timeoutSeconds * 1000,
      sandbox: request.sandbox,
      signal: request.signal,
    });
    if (result === undefined) throw new Error('the hidden check did not run');
    return { passed: result.passed, output: result.outputTail.slice(-2000), durationMs: result.durationMs };
  } finally {
    await removeScratch(root, scratch);
  }
}
