// Markdown renderings of attempts, verdicts and runs, shared by the audit trail and `orch show`.
import type { Attempt, Comparison, Merge, Run, Verdict } from '../domain/records.ts';

export const usd = (value: number): string => `$${value.toFixed(value < 1 ? 4 : 2)}`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function attemptDuration(attempt: Attempt): number | null {
  if (attempt.startedAt === null || attempt.finishedAt === null) return null;
  return Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt);
}

export function diffSummary(attempt: Attempt): string {
  const diff = attempt.diff;
  return diff ? `${diff.filesChanged} files, +${diff.insertions} -${diff.deletions}` : 'no diff';
}

export function attemptMarkdown(attempt: Attempt): string {
  const duration = attemptDuration(attempt);
  const files = attempt.diff?.files.map((f) => `- ${f.path} (+${f.insertions} -${f.deletions})`).join('\n') ?? '';
  return `# Attempt ${attempt.id}

| | |
|---|---|
| outcome | ${attempt.status}${attempt.reason ? ` (${attempt.reason})` : ''} |
| agent | ${attempt.agent} |
| model | ${attempt.model ?? 'default'} |
| branch | ${attempt.branch} |
| turns | ${attempt.turns} |
| tokens | ${attempt.inputTokens} in, ${attempt.outputTokens} out |
| cost | ${usd(attempt.costUsd)} |
| duration | ${duration === null ? '-' : seconds(duration)} |
| diff | ${diffSummary(attempt)} |
| session | ${attempt.sessionId ?? '-'} |
${attempt.detail ? `\n${attempt.detail}\n` : ''}${securityMarkdown([attempt])}
## Files

${files || '(none)'}
`;
}

export function verdictMarkdown(attempt: Attempt, verdict: Verdict): string {
  const checks = verdict.checks
    .map(
      (c) =>
        `### ${c.name}: ${c.passed ? 'passed' : c.timedOut ? 'timed out' : 'failed'}\n\n\`${c.command}\` exit ${c.exitCode ?? '-'} in ${seconds(c.durationMs)}\n\n\`\`\`\n${c.outputTail}\n\`\`\`\n`,
    )
    .join('\n');
  const risks = verdict.review?.risks.map((r) => `- ${r}`).join('\n') ?? '';
  const review = verdict.review
    ? `## Review\n\nscore ${verdict.review.score}/10, ${verdict.review.pass ? 'pass' : 'fail'}\n\n${verdict.review.reasoning}\n${risks ? `\nRisks:\n${risks}\n` : ''}`
    : verdict.reviewError
      ? `## Review\n\nThe review failed: ${verdict.reviewError}\n`
      : '';
  return `# Verdict on ${attempt.id}: ${verdict.passed ? 'PASS' : 'FAIL'}\n\n${checks || 'No checks configured.\n'}\n${judgementMarkdown(verdict)}${review}`;
}

/** How the checks were weighed: against the base, held out when check files changed, flaky. */
export function judgementMarkdown(verdict: Verdict): string {
  const j = verdict.judgement;
  if (j === null || j === undefined) return '';
  const lines = [`The attempt ${j.summary}`];
  if (j.protectedFiles.length > 0) lines.push(`- changed check files: ${j.protectedFiles.join(', ')}`);
  if (j.addedTests.length > 0) lines.push(`- added test files (kept when held out): ${j.addedTests.join(', ')}`);
  for (const check of j.heldOut ?? []) lines.push(`- held out (base's check files): ${check.name} ${check.passed ? 'passed' : 'FAILED'}`);
  return `## Judgement\n\n${lines.join('\n')}\n\n`;
}

function judgingMarkdown(run: Run, attempts: readonly Attempt[], verdicts: readonly Verdict[]): string {
  const lines = attempts.flatMap((a) => {
    const j = verdicts.filter((v) => v.attemptId === a.id).at(-1)?.judgement;
    return j ? [`- ${a.id} ${j.summary}`] : [];
  });
  const reason = run.reason ?? '';
  return lines.length > 0 ? `\n## Judging\n\n${reason}\n\n${lines.join('\n')}\n` : '';
}

export function comparisonsMarkdown(comparisons: readonly Comparison[]): string {
  if (comparisons.length === 0) return '';
  const lines = comparisons.map((c) => `- ${c.aAttemptId} vs ${c.bAttemptId}: **${c.winnerAttemptId}**${c.status === 'compare_failed' ? ' (comparator failed)' : ''} — ${c.reasoning.split('\n')[0] ?? ''}`);
  return `\n## Pairwise comparisons\n\n${lines.join('\n')}\n`;
}

export function childRunsMarkdown(children: readonly Run[]): string {
  if (children.length === 0) return '';
  const lines = children.map((c) => `- ${c.id} (${c.status}, ${usd(c.costUsd)}), from attempt ${c.parentAttemptId ?? '-'}: ${c.goal.split('\n')[0]?.slice(0, 120) ?? ''} → ${c.target}`);
  return `\n## Child runs (delegated by agents)\n\n${lines.join('\n')}\n`;
}

/** What orch's own defences found (attempt.security), one line each; nothing when they found nothing. */
export function securityMarkdown(attempts: readonly Attempt[]): string {
  const lines = attempts.flatMap((a) => {
    const found = a.security;
    if (found === null) return [];
    return [
      ...(found.tampered ? [`- ${a.id} TAMPERED with the repository's git files (orch put them back): ${found.gitChanges.map((c) => `${c.path} ${c.change}`).join(', ')}`] : []),
      ...found.outsideSymlinks.map((l) => `- ${a.id} adds a symlink out of the tree: ${l.path} -> ${l.target}`),
      ...(found.secretFiles.length > 0 ? [`- ${a.id} puts a secret orch knows into ${found.secretFiles.join(', ')} (never merged, diff not served)`] : []),
      ...found.escapes.map((e) => `- ${a.id} ${e.tool} named a path outside its worktree: ${e.path}`),
    ];
  });
  return lines.length === 0 ? '' : `\n## Security\n\n${lines.join('\n')}\n`;
}

export function resultMarkdown(
  run: Run,
  attempts: readonly Attempt[],
  verdicts: readonly Verdict[],
  merges: readonly Merge[],
  comparisons: readonly Comparison[] = [],
  children: readonly Run[] = [],
): string {
  const rows = attempts
    .map((a) => {
      const verdict = verdicts.filter((v) => v.attemptId === a.id).at(-1);
      const judged = verdict ? (verdict.passed ? 'pass' : 'fail') : '-';
      const review = verdict?.review ? `${verdict.review.score}/10` : verdict?.reviewError ? 'failed' : '-';
      const agent = a.model ? `${a.agent}:${a.model}` : a.agent;
      return `| ${a.id} | ${agent} | ${a.status}${a.reason && a.reason !== 'completed' ? ` (${a.reason})` : ''} | ${judged} | ${review} | ${diffSummary(a)} | ${usd(a.costUsd)} |`;
    })
    .join('\n');
  const mergeLines = merges.map((m) => `- ${m.status}: ${m.message}`).join('\n');
  const summary = typeof run.result?.['summary'] === 'string' ? run.result['summary'] : (run.reason ?? '');
  return `# Run ${run.id}: ${run.status}

${summary}

- goal: ${run.goal.split('\n')[0]?.slice(0, 200) ?? ''}
- strategy: ${run.strategy}
- target: ${run.target}
- cost: ${usd(run.costUsd)} (${run.inputTokens} tokens in, ${run.outputTokens} out)

| attempt | agent | outcome | checks | review | diff | cost |
|---|---|---|---|---|---|---|
${rows}
${judgingMarkdown(run, attempts, verdicts)}${securityMarkdown(attempts)}${comparisonsMarkdown(comparisons)}${childRunsMarkdown(children)}
## Merge

${mergeLines || 'Nothing was merged.'}
${runBranchMarkdown(run, merges)}`;
}

/** A run on its own run branch (--run-branch): what landed there waits for the user to merge it. */
function runBranchMarkdown(run: Run, merges: readonly Merge[]): string {
  if (!/^run\/\d{8}-\d{9}$/.test(run.target)) return '';
  if (!merges.some((m) => m.status === 'merged' && m.target === run.target)) return `\nThe run had its own branch ${run.target} (made from ${run.baseRef}); nothing landed on it, and no other branch moved.\n`;
  return `\nThe work is on the run branch ${run.target} (made from ${run.baseRef}); no other branch moved. Merge it with:\n\n    git switch ${run.baseRef} && git merge ${run.target}\n`;
}
