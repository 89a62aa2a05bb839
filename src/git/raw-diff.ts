// `git diff --raw` between two commits, parsed, and asked of git once: the diff stat (which asks for it along with
// its line counts), the symlink scan and the held-out checks all read it for the same pair of commits in one
// attempt. Two commits' ids name their contents, so the answer depends on nothing else; the last few are kept.
import { git } from './exec.ts';
import { assertSha } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export interface RawDiffEntry {
  newMode: string;
  newSha: string;
  /** A, M, D, T (no renames: a rename is a deletion and an addition). */
  status: string;
  path: string;
}

const kept = new Map<string, Promise<RawDiffEntry[]>>();
const keep = 32;

function remember(fromSha: string, toSha: string, answer: Promise<RawDiffEntry[]>): void {
  const key = `${fromSha}..${toSha}`;
  kept.set(key, answer);
  if (kept.size > keep) kept.delete(kept.keys().next().value ?? key);
  answer.catch(() => kept.delete(key)); // a failure is not an answer: the next caller asks again
}

export function rawDiff(repo: RepoRef, fromSha: string, toSha: string): Promise<RawDiffEntry[]> {
  const known = kept.get(`${assertSha(fromSha)}..${assertSha(toSha)}`);
  if (known !== undefined) return known;
  const asked = ask(cwdOf(repo), fromSha, toSha);
  remember(fromSha, toSha, asked);
  return asked;
}

/** What another git call already printed for this pair (`--raw` alongside `--numstat`): kept for later askers. */
export function rawDiffKnown(fromSha: string, toSha: string, entries: RawDiffEntry[]): void {
  remember(assertSha(fromSha), assertSha(toSha), Promise.resolve(entries));
}

async function ask(cwd: string, fromSha: string, toSha: string): Promise<RawDiffEntry[]> {
  const raw = await git(['diff', '--raw', '-z', '--no-abbrev', '--no-renames', '--no-ext-diff', '--end-of-options', fromSha, toSha, '--'], { cwd });
  return parseRaw(raw.stdout.split('\0'), 0).entries;
}

/**
 * Raw records from `fields` (the output split at NULs) starting at `start`, up to the first that is not one (what
 * follows, with --numstat, is the line counts). A rename (with --find-renames) becomes what --no-renames would
 * have said: the old path deleted, the new one added.
 */
export function parseRaw(fields: readonly string[], start: number): { entries: RawDiffEntry[]; next: number } {
  const entries: RawDiffEntry[] = [];
  let i = start;
  while (i < fields.length && (fields[i] ?? '').startsWith(':')) {
    // `:oldmode newmode oldsha newsha status`, then the path (two paths for a rename or copy).
    const [, newMode = '', oldSha = '', newSha = '', status = ''] = (fields[i] ?? '').split(' ');
    if (/^[RC]/.test(status)) {
      const [oldPath = '', newPath = ''] = [fields[i + 1], fields[i + 2]];
      if (status.startsWith('R')) entries.push({ newMode: '000000', newSha: '0'.repeat(oldSha.length), status: 'D', path: oldPath });
      entries.push({ newMode, newSha, status: 'A', path: newPath });
      i += 3;
    } else {
      entries.push({ newMode, newSha, status, path: fields[i + 1] ?? '' });
      i += 2;
    }
  }
  return { entries, next: i };
}
