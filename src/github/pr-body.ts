// The pull request's body: the run's report for a reviewer (goal, attempts and verdicts, why this one won, cost,
// checks) and `Fixes #N` when the run came from an issue.
import type { AuditedRunReport } from '../domain/run-report.ts';
import { diffSummary, usd } from '../report/markdown.ts';

/** GitHub refuses bodies over 65536 characters. */
const maxBody = 60_000;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function pullRequestTitle(goal: string, issue: number | undefined): string {
  const first = goal.split('\n')[0]?.trim() ?? 'orch';
  const title = first.length > 100 ? `${first.slice(0, 99)}…` : first;
  return issue === undefined ? title : `${title} (#${issue})`;
}

export function pullRequestBody(report: AuditedRunReport, options: { issue?: number; winner: string }): string {
  const { run } = report;
  const result = (run.result ?? {}) as { summary?: string; judging?: { why?: string } };
  const verdictOf = (id: string) => report.verdicts.filter((v) => v.attemptId === id).at(-1);
  const attempts = report.attempts.map((attempt) => {
    const verdict = verdictOf(attempt.id);
    const checks = verdict === undefined ? 'not judged' : verdict.passed ? 'passed' : `failed (${verdict.checks.filter((c) => !c.passed).map((c) => c.name).join(', ') || 'review'})`;
    const mark = attempt.id === options.winner ? ' **(chosen)**' : '';
    return `| ${attempt.id}${mark} | ${attempt.agent}${attempt.model === null ? '' : ` (${attempt.model})`} | ${attempt.status}${attempt.reason === null ? '' : ` (${attempt.reason})`} | ${checks} | ${diffSummary(attempt)} | ${usd(attempt.costUsd)} |`;
  });
  const winnerChecks = verdictOf(options.winner)?.checks ?? [];
  const checks = winnerChecks.length === 0 ? '- none ran' : winnerChecks.map((c) => `- ${c.passed ? '✅' : '❌'} ${c.name}: \`${cell(c.command)}\`${c.flaky === true ? ' (flaky)' : ''}`).join('\n');
  const goal = run.goal.length > 4000 ? `${run.goal.slice(0, 4000)}…` : run.goal;
  const body = `Opened by orch for run \`${run.id}\` (strategy ${run.strategy}): ${run.status}.

## Goal

${goal.split('\n').map((line) => `> ${line}`).join('\n')}

## Attempts

| attempt | agent | outcome | checks | diff | cost |
|---|---|---|---|---|---|
${attempts.join('\n')}

## Why this one

${cell(result.judging?.why ?? result.summary ?? run.reason ?? 'the only attempt')}

## Checks of the chosen attempt

${checks}

**Cost:** ${usd(run.costUsd)} (${run.inputTokens} tokens in, ${run.outputTokens} out)
`;
  const fixes = options.issue === undefined ? '' : `\nFixes #${options.issue}\n`;
  return (body.length > maxBody ? `${body.slice(0, maxBody)}\n\n…(cut: the whole report is in orch's audit trail)\n` : body) + fixes;
}
