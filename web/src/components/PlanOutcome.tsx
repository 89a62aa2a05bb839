// What came of a plan run, task by task: each task's status, the attempt whose work landed, and its merge.
// A plan run has no single winner: every task has its own result.
import type { Attempt, Merge, Run } from 'orch/client';
import { agentLabel } from '../format.ts';
import { attemptLabel, type TasksByKey } from './attempt-label.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { TaskNode } from './task-layout.ts';

interface PlanOutcomeProps {
  run: Run;
  tasks: readonly TaskNode[];
  byKey: TasksByKey;
  attempts: readonly Attempt[];
  merges: readonly Merge[];
  onSelect: (id: string) => void;
}

export function PlanOutcome({ run, tasks, byKey, attempts, merges, onSelect }: PlanOutcomeProps) {
  const summary = typeof run.result?.['summary'] === 'string' ? run.result['summary'] : null;
  const landed = tasks.filter((t) => merges.some((m) => m.taskKey === t.key && m.status === 'merged')).length;
  return (
    <section className="card outcome" data-testid="outcome">
      <h3>
        Tasks <span className="muted">{`${landed} of ${tasks.length} merged`}</span>
      </h3>
      {summary && <p>{summary}</p>}
      <table className="grid task-results" data-testid="task-results">
        <thead>
          <tr>
            <th>task</th>
            <th>status</th>
            <th>attempts</th>
            <th>result</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const own = attempts.filter((a) => a.taskKey === task.key);
            const taskMerges = merges.filter((m) => m.taskKey === task.key);
            const merged = taskMerges.find((m) => m.status === 'merged');
            const last = merged ?? taskMerges.at(-1);
            const attempt = own.find((a) => a.id === last?.attemptId);
            return (
              <tr key={task.id} data-task={task.key}>
                <td>
                  <strong className="task-title">{task.title}</strong>
                  <div className="sub mono">{task.key}</div>
                </td>
                <td>
                  <StatusBadge status={task.status} title={task.reason ?? undefined} />
                  {task.reason && task.status !== 'merged' && <div className="sub">{task.reason}</div>}
                </td>
                <td className="num">{own.length}</td>
                <td>
                  {attempt && (
                    <button type="button" className="link" onClick={() => onSelect(attempt.id)}>
                      {merged && <span className="trophy">★ </span>}
                      {attemptLabel(attempt, byKey)} · {agentLabel(attempt.agent, attempt.model)}
                    </button>
                  )}
                  {last && (
                    <div className="sub">
                      <StatusBadge status={last.status} /> into <code>{last.target}</code>: {last.message}
                    </div>
                  )}
                  {!last && <span className="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
