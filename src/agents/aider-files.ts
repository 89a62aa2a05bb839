// The files around an aider run: its history files and long prompts under orch's state directory, and its repo-map
// cache, which aider always writes into the repository root, kept out of the attempt's commit.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentRecords } from '../domain/agent-records.ts';

/** aider's RepoMap cache directory (`.aider.tags.cache.v<N>`), relative to the git root. */
export const aiderCachePattern = agentRecords.aider.worktreeExcludes?.[0] ?? '/.aider.tags.cache.v*/';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Chat and input history files for one working directory: one pair per attempt worktree, outside it. */
export function historyFiles(stateDir: string, cwd: string): { chat: string; input: string } {
  const dir = join(stateDir, 'history');
  mkdirSync(dir, { recursive: true });
  const name = digest(cwd);
  return { chat: join(dir, `${name}.chat.md`), input: join(dir, `${name}.input`) };
}

/** A prompt too long for argv, written for `--message-file`. Named by its content, so a retry reuses it. */
export function writeMessageFile(stateDir: string, prompt: string): string {
  const dir = join(stateDir, 'messages');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${digest(prompt)}.txt`);
  writeFileSync(path, prompt, { mode: 0o600 });
  return path;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Where `cwd` sits in git: the root of the main working tree (`.git` is a directory: the user's own checkout), the root
 * of a linked worktree (`.git` is a file: orch's attempt worktrees) with the directory its worktrees share, or neither.
 */
export function gitLayout(cwd: string): { kind: 'main' } | { kind: 'linked'; commonDir: string } | { kind: 'none' } {
  const dotGit = join(cwd, '.git');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dotGit).isDirectory();
  } catch (error) {
    if (isMissing(error)) return { kind: 'none' };
    throw error;
  }
  if (isDirectory) return { kind: 'main' };
  // A linked worktree: `.git` is a file "gitdir: <dir>", and <dir>/commondir points at the shared directory.
  const gitDir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (gitDir === undefined) return { kind: 'none' };
  const dir = resolve(cwd, gitDir);
  try {
    return { kind: 'linked', commonDir: resolve(dir, readFileSync(join(dir, 'commondir'), 'utf8').trim()) };
  } catch (error) {
    if (isMissing(error)) return { kind: 'linked', commonDir: dir };
    throw error;
  }
}

/**
 * Keep aider's repo-map cache out of git through info/exclude, as orch does with its own `.orch/`: otherwise the
 * attempt's commit would carry it, and `--gitignore` (aider's way) would edit the user's .gitignore instead.
 */
export function excludeAiderCache(commonDir: string): void {
  const file = join(commonDir, 'info', 'exclude');
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  if (existing.split(/\r?\n/).some((line) => line.trim() === aiderCachePattern)) return;
  mkdirSync(join(commonDir, 'info'), { recursive: true });
  appendFileSync(file, `${existing === '' || existing.endsWith('\n') ? '' : '\n'}${aiderCachePattern}\n`);
}
