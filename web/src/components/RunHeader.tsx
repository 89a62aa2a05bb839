// A run at a glance: goal, status, strategy, target, cost, elapsed; Cancel and Resume.
import { useState } from 'react';
import { api, OrchApiError } from '../api/client.ts';
import type { StreamStatus } from '../api/events.ts';
import type { Run } from 'orch/client';
import { ago, span, tokens, usd } from '../format.ts';
import { StatusBadge } from './StatusBadge.tsx';

const cancellable = new Set(['queued', 'running', 'paused']);
const resumable = new Set(['interrupted', 'failed']);

function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

export function RunHeader({ run, now, stream, onChanged }: { run: Run; now: number; stream: StreamStatus; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const act = async (action: 'cancel' | 'resume'): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await (action === 'cancel' ? api.cancelRun(run.id) : api.resumeRun(run.id));
      onChanged();
    } catch (reason) {
      setError(reason instanceof OrchApiError && reason.hint ? `${reason.message} ${reason.hint}` : reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  const params = paramsText(run.params);
  return (
    <header className="card run-header">
      <div className="run-title">
        <StatusBadge status={run.status} />
        <div className="goal-block">
          <h2 className="goal" title={run.goal}>
            {run.goal}
          </h2>
          <div className="mono muted repo-path">{run.projectPath}</div>
        </div>
        <div className="actions">
          {/* Over runs stay subscribed (a resume would show at once), but there is nothing live to announce. */}
          {(cancellable.has(run.status) || stream !== 'open') && (
            <span className={`live live-${stream}`} title={`event stream: ${stream}`}>
              {stream === 'open' ? 'live' : stream}
            </span>
          )}
          {cancellable.has(run.status) && (
            <button type="button" className="danger" disabled={busy} onClick={() => void act('cancel')}>
              Cancel
            </button>
          )}
          {resumable.has(run.status) && (
            <button type="button" disabled={busy} onClick={() => void act('resume')}>
              Resume
            </button>
          )}
        </div>
      </div>
      <dl className="stats">
        <div>
          <dt>strategy</dt>
          <dd>
            {run.strategy}
            {params && <span className="muted"> {params}</span>}
          </dd>
        </div>
        <div>
          <dt>target</dt>
          <dd className="mono">{run.target}</dd>
        </div>
        <div>
          <dt>base</dt>
          <dd className="mono" title={run.baseSha}>
            {run.baseRef} <span className="muted">{run.baseSha.slice(0, 8)}</span>
          </dd>
        </div>
        <div>
          <dt>cost</dt>
          <dd>{usd(run.costUsd)}</dd>
        </div>
        <div>
          <dt>tokens</dt>
          <dd>
            {tokens(run.inputTokens)} in / {tokens(run.outputTokens)} out
          </dd>
        </div>
        <div>
          <dt>elapsed</dt>
          <dd data-testid="elapsed">{span(run.createdAt, run.finishedAt, now)}</dd>
        </div>
        <div>
          <dt>started</dt>
          <dd title={run.createdAt}>{ago(run.createdAt, now)}</dd>
        </div>
      </dl>
      {/* A success is told by the outcome card below; anything else says here why. */}
      {run.reason && run.status !== 'succeeded' && <p className={run.status === 'failed' ? 'error' : 'muted'}>{run.reason}</p>}
      {error && <p className="error">{error}</p>}
    </header>
  );
}
