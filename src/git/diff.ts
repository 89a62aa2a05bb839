// What an attempt changed, between two commits: per-file line counts and the patch text.
import { git } from './exec.ts';
import { parseRaw, rawDiffKnown } from './raw-diff.ts';
import { assertSha } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export interface FileStat {
  path: string;
  /** Set for a rename: the path before. */
  oldPath?: string;
  insertions: number;
  deletions: number;
  binary: boolean;
}

export interface DiffStat {
  filesChanged: number;
  insertions: number;
  deletions: number;
  files: FileStat[];
}

/**
 * `git diff --numstat -z -M from to`. Binary files count as changed with zero lines. The same git call prints the
 * raw diff too, which the symlink scan and the held-out checks read next (raw-diff.ts): one process, not three.
 */
export async function diffStat(repo: RepoRef, fromSha: string, toSha: string): Promise<DiffStat> {
  const result = await git(
    ['diff', '--raw', '--numstat', '-z', '--no-abbrev', '--find-renames', '--no-ext-diff', '--no-textconv', '--end-of-options', assertSha(fromSha), assertSha(toSha), '--'],
    { cwd: cwdOf(repo) },
  );
  const fields = result.stdout.split('\0');
  const raw = parseRaw(fields, 0);
  rawDiffKnown(fromSha, toSha, raw.entries);
  const files = parseNumstat(fields.slice(raw.next).join('\0'));
  return {
    filesChanged: files.length,
    insertions: files.reduce((sum, file) => sum + file.insertions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    files,
  };
}

/** The size of a change for selection rules ("smaller diff wins"). */
export function changedLines(stat: Pick<DiffStat, 'insertions' | 'deletions'>): number {
  return stat.insertions + stat.deletions;
}

// Each record is `ins\tdel\tpath\0`, or for a rename `ins\tdel\t\0old\0new\0`.
export function parseNumstat(output: string): FileStat[] {
  const fields = output.split('\0');
  const files: FileStat[] = [];
  for (let i = 0; i < fields.length; i++) {
    const record = fields[i];
    if (record === undefined || record === '') continue;
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(record);
    if (match === null) continue;
    const [, ins = '-', del = '-', inline = ''] = match;
    const binary = ins === '-' && del === '-';
    const counts = { insertions: binary ? 0 : Number(ins), deletions: binary ? 0 : Number(del), binary };
    if (inline !== '') {
      files.push({ path: inline, ...counts });
    } else {
      const oldPath = fields[i + 1] ?? '';
      const path = fields[i + 2] ?? '';
      i += 2;
      files.push({ path, oldPath, ...counts });
    }
  }
  return files;
}

export interface DiffText {
  text: string;
  /** The patch was longer than maxChars and was cut there. */
  truncated: boolean;
}

/** The patch between two commits, cut at maxChars (git is stopped there, so a huge diff costs little). */
export async function diffText(repo: RepoRef, fromSha: string, toSha: string, options: { maxChars?: number } = {}): Promise<DiffText> {
  const result = await git(
    ['diff', '--no-color', '--no-ext-diff', '--find-renames', '--end-of-options', assertSha(fromSha), assertSha(toSha), '--'],
    { cwd: cwdOf(repo), ...(options.maxChars === undefined ? {} : { maxStdoutChars: options.maxChars }) },
  );
  return { text: result.stdout, truncated: result.truncated };
}
