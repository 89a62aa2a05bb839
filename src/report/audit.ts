// The human-readable audit trail in <repo>/.orch/runs/<run>/: the goal, one report per attempt, the verdicts,
// and the final result. Kept out of git through .git/info/exclude, never the user's .gitignore.
import { closeSync, constants, lstatSync, mkdirSync, openSync, writeFileSync, type Stats } from 'node:fs';
import { join, relative as relativePath, sep } from 'node:path';
import { RepositoryError } from '../domain/errors.ts';
import { auditDir } from '../domain/paths.ts';
import type { Attempt, Comparison, Merge, Run, Verdict } from '../domain/records.ts';
import { attemptMarkdown, resultMarkdown, verdictMarkdown } from './markdown.ts';
import type { RunTimeline } from '../domain/timeline.ts';
import { timelineSvg } from './timeline-svg.ts';
import { timelineSummaryMarkdown } from './timeline-text.ts';

const lstatOrUndefined = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const refuse = (path: string, what: string) =>
  new RepositoryError('repository_state', `${path} is ${what}; orch will not write its audit trail through it (it could lead out of the repository).`, {
    hint: 'Remove it (orch did not make it), then run orch again.',
    data: { path },
  });

export class AuditTrail {
  readonly dir: string;

  constructor(
    private readonly repoRoot: string,
    readonly runId: string,
  ) {
    this.dir = auditDir(repoRoot, runId);
  }

  /**
   * Write one page of the trail; returns its path. Every level under the repository is checked on the way down
   * (made if missing): a symbolic link or a non-directory stops the write with an error, and the page itself is
   * opened without following a link, so nothing is ever written outside the repository.
   */
  write(relative: string, text: string): string {
    const path = join(this.dir, relative);
    const parts = relativePath(this.repoRoot, path).split(sep);
    if (parts.some((part) => part === '..' || part === '')) throw new TypeError(`AuditTrail.write: '${relative}' leaves the audit directory`);
    let current = this.repoRoot;
    for (const part of parts.slice(0, -1)) {
      current = join(current, part);
      let stats = lstatOrUndefined(current);
      if (stats === undefined) {
        try {
          mkdirSync(current, { mode: 0o755 });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        stats = lstatSync(current);
      }
      if (stats.isSymbolicLink()) throw refuse(current, 'a symbolic link');
      if (!stats.isDirectory()) throw refuse(current, 'not a directory');
    }
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse(path, 'a symbolic link');
      throw error;
    }
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  goal(run: Pick<Run, 'id' | 'goal' | 'strategy' | 'params' | 'target' | 'baseRef' | 'baseSha'>): void {
    this.write(
      'goal.md',
      `# Run ${run.id}\n\n## Goal\n\n${run.goal}\n\n- strategy: ${run.strategy} ${JSON.stringify(run.params)}\n- base: ${run.baseRef} (${run.baseSha})\n- target: ${run.target}\n`,
    );
  }

  attempt(attempt: Attempt): void {
    this.write(join('attempts', `${attempt.id}.md`), attemptMarkdown(attempt));
  }

  verdict(attempt: Attempt, verdict: Verdict): void {
    this.write(join('verdicts', `${attempt.id}.md`), verdictMarkdown(attempt, verdict));
  }

  result(run: Run, attempts: readonly Attempt[], verdicts: readonly Verdict[], merges: readonly Merge[], comparisons: readonly Comparison[], children: readonly Run[], timeline?: RunTimeline): void {
    this.write('result.md', resultMarkdown(run, attempts, verdicts, merges, comparisons, children) + (timeline ? timelineSummaryMarkdown(timeline) : ''));
    this.write('result.json', `${JSON.stringify({ run, attempts, verdicts, comparisons, merges, children }, null, 2)}\n`);
  }

  /** The run in time: a standalone picture (timeline.svg) and its numbers (timeline.json). */
  timeline(timeline: RunTimeline): void {
    this.write('timeline.svg', timelineSvg(timeline));
    this.write('timeline.json', `${JSON.stringify(timeline, null, 2)}\n`);
  }
}
