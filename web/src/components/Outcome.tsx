// What came of a run: the winner and why, the merge, and the tournament's comparisons.
import type { Attempt, Comparison, Merge, Run } from 'orch/client';
import { agentLabel, shortId } from '../format.ts';
import { attemptLabel, readableIds, type TasksByKey } from './attempt-label.ts';
import { StatusBadge } from './StatusBadge.tsx';

interface Selection {
  winner: string | null;
  reason: string;
}

function selectionOf(run: Run): Selection | null {
  const selection = run.result?.['selection'];
  if (selection && typeof selection === 'object' && 'reason' in selection) return selection as Selection;
  return null;
}

export function winnerOf(run: Run, merges: Merge[]): string | null {
  const winner = run.result?.['winner'];
  if (typeof winner === 'string') return winner;
  return selectionOf(run)?.winner ?? merges.at(-1)?.attemptId ?? null;
}

/** A single-task run's outcome: its one winner and why, and the merge. (Plan runs: PlanOutcome.tsx.) */
export function Outcome({ run, attempts, merges, tasks, onSelect }: { run: Run; attempts: Attempt[]; merges: Merge[]; tasks: TasksByKey; onSelect: (id: string) => void }) {
  const selection = selectionOf(run);
  const winnerId = winnerOf(run, merges);
  const winner = attempts.find((a) => a.id === winnerId);
  const summary = typeof run.result?.['summary'] === 'string' ? run.result['summary'] : null;
  if (!selection && merges.length === 0 && !summary) return null;
  return (
    <section className="card outcome" data-testid="outcome">
      {winner && (
        <p className="outcome-winner">
          <span className="trophy">★</span> Winner:{' '}
          <button type="button" className="link" onClick={() => onSelect(winner.id)}>
            {attemptLabel(winner, tasks)} · {agentLabel(winner.agent, winner.model)}
          </button>
        </p>
      )}
      {selection && <p className="muted">{readableIds(selection.reason, attempts, tasks)}</p>}
      {summary && !selection && !merges.some((m) => m.message === summary) && <p>{summary}</p>}
      {merges.map((merge) => (
        <div key={merge.id} className="merge" data-testid="merge">
          <StatusBadge status={merge.status} /> {merge.taskKey && <span className="mono">{merge.taskKey} </span>}into <code>{merge.target}</code>
          {merge.toSha && (
            <span className="muted mono">
              {' '}
              {merge.toSha === merge.fromSha ? `at ${merge.toSha.slice(0, 8)}` : `${merge.fromSha.slice(0, 8)} → ${merge.toSha.slice(0, 8)}`}
            </span>
          )}
          <p className="merge-message">{merge.message}</p>
          {merge.checks.length > 0 && (
            <p className="checks">
              {merge.checks.map((check) => (
                <span key={check.name} className={`check ${check.passed ? 'pass' : 'fail'}`} title={check.outputTail}>
                  {check.passed ? '✓' : '✗'} {check.name} after merging
                </span>
              ))}
            </p>
          )}
        </div>
      ))}
    </section>
  );
}

export function Comparisons({ comparisons, attempts, tasks }: { comparisons: Comparison[]; attempts: Attempt[]; tasks: TasksByKey }) {
  if (comparisons.length === 0) return null;
  const label = (id: string): string => {
    const attempt = attempts.find((a) => a.id === id);
    return attempt ? `${attemptLabel(attempt, tasks)} ${agentLabel(attempt.agent, attempt.model)}` : shortId(id);
  };
  return (
    <section className="card">
      <h3>Comparisons</h3>
      <ol className="comparisons">
        {comparisons.map((c) => (
          <li key={c.id}>
            <div className="bout">
              <span className="muted mono">{c.stepKey}</span>
              <span className={c.winnerAttemptId === c.aAttemptId ? 'won' : 'lost'}>{label(c.aAttemptId)}</span>
              <span className="muted">vs</span>
              <span className={c.winnerAttemptId === c.bAttemptId ? 'won' : 'lost'}>{label(c.bAttemptId)}</span>
              <span className="muted">→</span>
              <strong>{label(c.winnerAttemptId)}</strong>
              {c.status === 'compare_failed' && <span className="tag tag-warn">chosen by the rules</span>}
            </div>
            {c.reasoning && (
              <details>
                <summary className="muted">reasoning</summary>
                <p className="prose">{c.reasoning}</p>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
