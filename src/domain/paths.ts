// The one module that owns every path orch writes. ORCH_HOME (default ~/.orch) holds the database, worktrees,
// logs and agent state; <repo>/.orch holds the human-readable audit trail.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from './errors.ts';

/**
 * ORCH_HOME, or ~/.orch. A relative ORCH_HOME is refused rather than resolved: against the working directory it
 * would put a database, worktrees and logs inside whichever repository orch is run in, a different one each time.
 */
export function resolveOrchHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['ORCH_HOME'];
  if (fromEnv === undefined || fromEnv === '') return join(homedir(), '.orch');
  if (!isAbsolute(fromEnv)) {
    const tilde = fromEnv.startsWith('~');
    throw new UsageError(`ORCH_HOME must be an absolute path, not '${fromEnv}': a relative one would put orch's database and worktrees inside whatever directory orch runs in (often your repository).`, {
      hint: tilde ? `The shell did not expand '~' (it was quoted): export ORCH_HOME="$HOME${fromEnv.slice(1)}"` : `export ORCH_HOME="${resolve(fromEnv)}" (or unset it for ~/.orch).`,
      data: { orchHome: fromEnv },
    });
  }
  return resolve(fromEnv);
}

/** A stable, filesystem-safe name for a repository: its folder name plus a hash of its full path. */
export function projectSlug(repoRoot: string): string {
  const name = basename(repoRoot).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 40);
  const hash = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  return `${name || 'repo'}-${hash}`;
}

export interface OrchPaths {
  home: string;
  database: string;
  worktreesRoot: string;
  logsRoot: string;
  agentStateRoot: string;
  /** API keys and tokens for the credential pools (0600). */
  credentials: string;
  /** `orch eval`'s results and throwaway clones (one folder per suite), and its cache of repositories by URL. */
  evalRoot: string;
  evalCache: string;
  worktree(projectSlug: string, attemptId: string): string;
  attemptLog(runId: string, attemptId: string): string;
  agentState(agent: string): string;
}

export function orchPaths(home: string): OrchPaths {
  return {
    home,
    database: join(home, 'orch.db'),
    worktreesRoot: join(home, 'worktrees'),
    logsRoot: join(home, 'logs'),
    agentStateRoot: join(home, 'agents'),
    credentials: join(home, 'credentials.json'),
    evalRoot: join(home, 'eval'),
    evalCache: join(home, 'eval-cache'),
    worktree: (slug, attemptId) => join(home, 'worktrees', slug, attemptId),
    attemptLog: (runId, attemptId) => join(home, 'logs', runId, `${attemptId}.jsonl`),
    agentState: (agent) => join(home, 'agents', agent),
  };
}

export function auditDir(repoRoot: string, runId: string): string {
  return join(repoRoot, '.orch', 'runs', runId);
}
