// The selected attempt: its live log, its diff and its verdict, in tabs.
import { useEffect, useState } from 'react';
import type { Attempt, Verdict } from 'orch/client';
import { agentLabel } from '../format.ts';
import { AttemptDiff } from './DiffView.tsx';
import { LogView } from './LogView.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { VerdictPanel } from './VerdictPanel.tsx';

type Tab = 'log' | 'diff' | 'verdict';

export function AttemptPanel({ attempt, label, verdict, winner }: { attempt: Attempt; label: string; verdict: Verdict | undefined; winner: boolean }) {
  const running = attempt.status === 'running' || attempt.status === 'queued';
  const [chosen, setChosen] = useState<Tab | undefined>(undefined);
  useEffect(() => setChosen(undefined), [attempt.id]);
  // Until someone picks a tab: the log while the agent works, the diff once it is done.
  const tab: Tab = chosen ?? (running ? 'log' : 'diff');
  const tabs: { id: Tab; label: string }[] = [
    { id: 'log', label: 'Log' },
    { id: 'diff', label: attempt.diff ? `Diff +${attempt.diff.insertions} −${attempt.diff.deletions}` : 'Diff' },
    { id: 'verdict', label: verdict ? `Verdict ${verdict.passed ? '✓' : '✗'}` : 'Verdict' },
  ];
  return (
    <section className="card attempt-panel" data-testid="attempt-panel">
      <div className="panel-head">
        <h3>
          {winner && <span className="trophy">★ </span>}
          <span className="attempt-label">{label[0]?.toUpperCase()}{label.slice(1)}</span> · <span className="mono">{agentLabel(attempt.agent, attempt.model)}</span>
        </h3>
        <StatusBadge status={attempt.status} />
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'tab active' : 'tab'} onClick={() => setChosen(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
      </div>
      {tab === 'log' && <LogView attemptId={attempt.id} live={running} worktree={attempt.worktree} />}
      {tab === 'diff' && <AttemptDiff attemptId={attempt.id} version={`${attempt.status}:${attempt.headSha ?? ''}`} />}
      {tab === 'verdict' && <VerdictPanel attempt={attempt} verdict={verdict} />}
    </section>
  );
}
