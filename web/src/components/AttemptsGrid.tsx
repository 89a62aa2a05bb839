// Every attempt of a run in one table: who, how far, what it cost, what it changed, how it was judged. In a run
// with tasks the attempts are grouped under their task's title, numbered within it as the engine numbers them.
import { Fragment } from 'react';
import type { Attempt, Verdict } from 'orch/client';
import { agentLabel, relativeTo, span, splitAtFileName, tokens, usd } from '../format.ts';
import { attemptLabel, type TasksByKey } from './attempt-label.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface AttemptsGridProps {
  attempts: Attempt[];
  verdicts: Map<string, Verdict>;
  /** The winner, or in a plan run every task's attempt that merged. */
  winners: ReadonlySet<string>;
  tasks: TasksByKey;
  selectedId: string | undefined;
  activity: Map<string, string>;
  /** The `orch worker` that ran each attempt (distributed runs), by attempt id. */
  workers?: Map<string, string>;
  now: number;
  onSelect: (attemptId: string) => void;
}

const columns = 10;

/** The attempts by task, in the order the tasks were planned (attempts of unknown tasks last). */
function groups(attempts: readonly Attempt[], tasks: TasksByKey): { taskKey: string; attempts: Attempt[] }[] {
  const order = [...tasks.keys()];
  const rank = (key: string): number => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = [...new Set(attempts.map((a) => a.taskKey))].sort((a, b) => rank(a) - rank(b));
  return keys.map((taskKey) => ({ taskKey, attempts: attempts.filter((a) => a.taskKey === taskKey).sort((a, b) => a.n - b.n) }));
}

export function AttemptsGrid(props: AttemptsGridProps) {
  const { attempts, verdicts, winners, tasks, selectedId, activity, workers, now, onSelect } = props;
  const grouped = tasks.size > 0 || new Set(attempts.map((a) => a.taskKey)).size > 1;
  if (attempts.length === 0) return <p className="muted">No attempts yet.</p>;
  return (
    <div className="table-wrap">
      <table className="grid attempts" data-testid="attempts-grid">
        <thead>
          <tr>
            <th>#</th>
            <th>agent</th>
            <th>status</th>
            <th className="num">turns</th>
            <th className="num">tokens in/out</th>
            <th className="num">cost</th>
            <th className="num">time</th>
            <th>diff</th>
            <th>checks</th>
            <th>review</th>
          </tr>
        </thead>
        <tbody>
          {(grouped ? groups(attempts, tasks) : [{ taskKey: '', attempts }]).map((group) => (
            <Fragment key={group.taskKey}>
              {grouped && (
                <tr className="task-group" data-task={group.taskKey}>
                  <th colSpan={columns} scope="rowgroup">
                    {tasks.get(group.taskKey)?.title ?? group.taskKey} <span className="muted mono">{group.taskKey}</span>
                  </th>
                </tr>
              )}
              {group.attempts.map((attempt) => {
                const verdict = verdicts.get(attempt.id);
                const winner = winners.has(attempt.id);
                const activityText = attempt.status === 'running' ? activity.get(attempt.id) : undefined;
                const doing = activityText === undefined ? undefined : relativeTo(attempt.worktree, activityText);
                return (
                  <tr
                    key={attempt.id}
                    className={`clickable ${attempt.id === selectedId ? 'selected' : ''} ${winner ? 'winner' : ''}`}
                    onClick={() => onSelect(attempt.id)}
                    data-attempt={attempt.id}
                    data-label={attemptLabel(attempt, tasks)}
                  >
                    <td className="nowrap">
                      {winner && (
                        <span className="trophy" title={grouped ? 'its work was merged' : 'the winner'}>
                          ★
                        </span>
                      )}
                      {attempt.n}
                      <div className="sub">{attempt.stepKey}</div>
                    </td>
                    <td className="mono nowrap">
                      {agentLabel(attempt.agent, attempt.model)}
                      {workers?.get(attempt.id) && <div className="sub" data-testid="attempt-worker">on {workers.get(attempt.id)}</div>}
                    </td>
                    <td>
                      <StatusBadge status={attempt.status} title={attempt.detail ?? undefined} />
                      {attempt.reason && attempt.reason !== 'completed' && <div className="sub">{attempt.reason.replace(/_/g, ' ')}</div>}
                      {doing && <Doing text={doing} />}
                    </td>
                    <td className="num">{attempt.turns}</td>
                    <td className="num nowrap">
                      {tokens(attempt.inputTokens)} / {tokens(attempt.outputTokens)}
                    </td>
                    <td className="num">{usd(attempt.costUsd)}</td>
                    <td className="num">{span(attempt.startedAt, attempt.finishedAt, now)}</td>
                    <td className="nowrap">
                      {attempt.diff ? (
                        <span title={attempt.diff.files.map((f) => f.path).join('\n')}>
                          <span className="plus">+{attempt.diff.insertions}</span> <span className="minus">−{attempt.diff.deletions}</span>{' '}
                          <span className="muted">
                            {attempt.diff.filesChanged} file{attempt.diff.filesChanged === 1 ? '' : 's'}
                          </span>
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <Checks verdict={verdict} />
                    </td>
                    <td>
                      <ReviewScore verdict={verdict} />
                    </td>
                  </tr>
                );
              })}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the agent does now; a narrow cell cuts the directories, never the file name. */
function Doing({ text }: { text: string }) {
  const { head, tail } = splitAtFileName(text);
  return (
    <div className="sub doing" title={text}>
      <span className="doing-head">{head}</span>
      {tail && <span className="doing-tail">{tail}</span>}
    </div>
  );
}

function Checks({ verdict }: { verdict: Verdict | undefined }) {
  if (!verdict) return <span className="muted">—</span>;
  if (verdict.checks.length === 0) return <span className="muted">none</span>;
  return (
    <span className="checks">
      {verdict.checks.map((check) => (
        <span key={check.name} className={`check ${check.passed ? 'pass' : 'fail'}`} title={check.command}>
          {check.passed ? '✓' : '✗'} {check.name}
        </span>
      ))}
    </span>
  );
}

function ReviewScore({ verdict }: { verdict: Verdict | undefined }) {
  if (!verdict) return <span className="muted">—</span>;
  if (verdict.review) {
    return (
      <span className={`score ${verdict.review.pass ? 'pass' : 'fail'}`} title={verdict.review.reasoning}>
        {verdict.review.score}/10
      </span>
    );
  }
  if (verdict.reviewError) return <span className="fail" title={verdict.reviewError}>error</span>;
  return <span className="muted">—</span>;
}
