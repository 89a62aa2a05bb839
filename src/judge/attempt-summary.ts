// The parts of a judging prompt that describe an attempt: its diff stat, its diff (cut to a bound) and its check
// results, with every piece of untrusted text fenced. Also the compact summary a pairwise comparison reads.
import type { CheckResult } from '../domain/records.ts';
import { fence } from '../agents/prompt-template.ts';

/** Fits both the stored `DiffStat` record and git's own (which adds `binary` and `oldPath`). */
export interface DiffStatLike {
  filesChanged: number;
  insertions: number;
  deletions: number;
  files: readonly { path: string; oldPath?: string | undefined; insertions: number; deletions: number; binary?: boolean | undefined }[];
}

export interface AttemptDiff {
  stat: DiffStatLike;
  /** The patch text, possibly cut already. */
  text: string;
  /** The patch was cut before it got here. */
  truncated: boolean;
}

export interface SummaryOptions {
  /** Default 6000. */
  excerptChars?: number | undefined;
  /** The tail of a failing check's output shown; default 800. Passing checks show none. */
  tailChars?: number | undefined;
  /** Files listed in the stat; default 30. */
  maxFiles?: number | undefined;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatDiffStat(stat: DiffStatLike, maxFiles = 50): string {
  const head = `${plural(stat.filesChanged, 'file')} changed, ${plural(stat.insertions, 'insertion')}(+), ${plural(stat.deletions, 'deletion')}(-)`;
  if (stat.files.length === 0) return head;
  const lines = stat.files.slice(0, maxFiles).map((file) => {
    const name = file.oldPath !== undefined && file.oldPath !== '' ? `${file.oldPath} => ${file.path}` : file.path;
    return file.binary === true ? `${name}  (binary)` : `${name}  +${file.insertions} -${file.deletions}`;
  });
  if (stat.files.length > maxFiles) lines.push(`... and ${stat.files.length - maxFiles} more files`);
  return `${head}\n\n${fence(lines.join('\n'))}`;
}

export interface DiffExcerpt {
  /** The fenced diff. */
  block: string;
  /** A sentence on how complete the diff shown is. */
  note: string;
}

/** The diff cut to maxChars, fenced, with a note saying whether the reader sees all of it. */
export function diffExcerpt(diff: AttemptDiff, maxChars: number): DiffExcerpt {
  const cut = diff.text.length > maxChars;
  const text = cut ? diff.text.slice(0, maxChars) : diff.text;
  let note = 'The diff below is complete.';
  if (diff.text === '') note = 'The diff is empty: the attempt changed no file.';
  else if (cut || diff.truncated) {
    note = `The diff below is TRUNCATED: it shows only the first ${text.length} characters of a longer change; the diff stat covers all of it.`;
  }
  return { block: fence(text === '' ? '(empty)' : text, 'diff'), note };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One entry per check; the output tail (fenced) of failing checks, and of passing ones when asked. */
export function formatChecks(checks: readonly CheckResult[], options: { tailChars: number; passingTails: boolean }): string {
  if (checks.length === 0) return 'No checks were configured, so none ran.';
  return checks
    .map((check) => {
      const status = check.passed ? 'passed' : 'FAILED';
      const how = [check.timedOut ? 'timed out' : `exit code ${check.exitCode ?? 'none'}`, seconds(check.durationMs)].join(', ');
      const line = `- ${check.name}: ${status} (${how}); command: ${check.command}`;
      const tail = check.outputTail.slice(-options.tailChars);
      if (tail.trim() === '' || (check.passed && !options.passingTails)) return line;
      return `${line}\n\n  Last ${tail.length} characters of its output:\n\n${fence(tail)}`;
    })
    .join('\n\n');
}

/** A compact description of one attempt for a pairwise comparison: stat, a bounded excerpt, check results. */
export function summarizeAttempt(diff: AttemptDiff, checks: readonly CheckResult[], options: SummaryOptions = {}): string {
  const excerpt = diffExcerpt(diff, options.excerptChars ?? 6000);
  return [
    `### Diff stat\n\n${formatDiffStat(diff.stat, options.maxFiles ?? 30)}`,
    `### Diff\n\n${excerpt.note}\n\n${excerpt.block}`,
    `### Checks\n\n${formatChecks(checks, { tailChars: options.tailChars ?? 800, passingTails: false })}`,
  ].join('\n\n');
}
