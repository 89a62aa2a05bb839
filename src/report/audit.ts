// The human-readable audit trail in <repo>/.orch/runs/<run>/: the goal, one report per attempt, the verdicts,
// and the final result. Kept out of git through .git/info/exclude, never the user's .gitignore.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditDir } from '../domain/paths.ts';
import type { Attempt, Comparison, Merge, Run, Verdict } from '../domain/records.ts';
import { attemptMarkdown, resultMarkdown, verdictMarkdown } from './markdown.ts';

export class AuditTrail {
  readonly dir: string;

  constructor(repoRoot: string, runId: string) {
    this.dir = auditDir(repoRoot, runId);
  }

  /** Write one page of the trail; returns its path. */
  write(relative: string, text: string): string {
    const path = join(this.dir, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
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

  result(run: Run, attempts: readonly Attempt[], verdicts: readonly Verdict[], merges: readonly Merge[], comparisons: readonly Comparison[], children: readonly Run[]): void {
    this.write('result.md', resultMarkdown(run, attempts, verdicts, merges, comparisons, children));
    this.write('result.json', `${JSON.stringify({ run, attempts, verdicts, comparisons, merges, children }, null, 2)}\n`);
  }
}
