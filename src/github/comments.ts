// What orch says on an issue when a run starts and when it ends (result, cost, the pull request).
import type { AuditedRunReport } from '../domain/run-report.ts';
import { usd } from '../report/markdown.ts';
import type { DeliveredPullRequest, NotDelivered } from './deliver.ts';
import type { PullRequestMerge } from './merge-pr.ts';

export function startComment(runId: string, options: { strategy: string; deliver: 'merge' | 'pr' }): string {
  return `🤖 orch started run \`${runId}\` on this issue (strategy ${options.strategy}; ${options.deliver === 'pr' ? 'the result comes as a pull request' : 'the result is merged into the target'}).`;
}

export function endComment(report: AuditedRunReport, delivered: DeliveredPullRequest | NotDelivered | null, merge: PullRequestMerge | null = null): string {
  const { run } = report;
  const lines = [`${run.status === 'succeeded' ? '✅' : '❌'} orch run \`${run.id}\` ${run.status}: ${run.reason ?? ''}`.trim(), '', `Cost: ${usd(run.costUsd)}`];
  if (delivered !== null && delivered.number !== null) {
    lines.push(`Pull request: ${delivered.url} (#${delivered.number}${delivered.draft ? ', draft: the checks did not pass' : ''}${delivered.updated ? ', updated' : ''})`);
  } else if (delivered !== null) {
    lines.push(`No pull request: ${delivered.reason}. orch gave up on this run.`);
  }
  if (merge !== null) lines.push(merge.merged ? `Merged through GitHub once its checks passed: ${merge.reason}` : `Not merged: ${merge.reason}.`);
  return lines.join('\n');
}
