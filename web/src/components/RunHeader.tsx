// A run at a glance: goal, status, strategy, target, cost, elapsed; Cancel and Resume, each answered at once
// (the button says what it is doing, then a notice says what the server did) rather than when the run's next
// event happens to arrive.
import { useEffect, useState } from 'react';
import { api, OrchApiError } from '../api/client.ts';
import type { StreamStatus } from '../api/events.ts';
import { canCancelRun, canResumeRun, isRunOver, type Run, type RunStatus } from 'orch/client';
import { ago, span, tokens, usd } from '../format.ts';
import { StatusBadge } from './StatusBadge.tsx';

type Action = 'cancel' | 'resume';

const doing: Record<Action, string> = { cancel: 'Canceling…', resume: 'Resuming…' };
const noticeMs = 8000;

function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

export function RunHeader({ run, now, stream, onChanged }: { run: Run; now: number; stream: StreamStatus; onChanged: () => void }) {
  const [pending, setPending] = useState<Action>();
  const [error, setError] = useState<string>();
  // What the server answered, shown until the page's own copy of the run catches up with it.
  const [answered, setAnswered] = useState<{ action: Action; status: RunStatus; from: RunStatus }>();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (notice === undefined) return;
    const timer = setTimeout(() => setNotice(undefined), noticeMs);
    return () => clearTimeout(timer);
  }, [notice]);
  // The page's run moved on (its events arrived): the answer is no longer newer than it.
  useEffect(() => {
    if (answered !== undefined && run.status !== answered.from) setAnswered(undefined);
  }, [run.status, answered]);

  const act = async (action: Action): Promise<void> => {
    setPending(action);
    setError(undefined);
    setNotice(undefined);
    const from = run.status;
    try {
      const status = action === 'cancel' ? (await api.cancelRun(run.id)).status : (await api.resumeRun(run.id)).status;
      setAnswered({ action, status, from });
      setNotice(action === 'resume' ? `Resumed: the run is ${status} again; finished steps are not redone.` : `Canceled: the run is ${status}.`);
      onChanged();
    } catch (reason) {
      setError(reason instanceof OrchApiError && reason.hint ? `${reason.message} ${reason.hint}` : reason instanceof Error ? reason.message : String(reason));
    } finally {
      setPending(undefined);
    }
  };

  const status = answered !== undefined && run.status === answered.from ? answered.status : run.status;
  const busy = pending !== undefined;
  const params = paramsText(run.params);
  return (
    <header className="card run-header">
      <div className="run-title">
        <StatusBadge status={status} />
        <div className="goal-block">
          <h2 className="goal" title={run.goal}>
            {run.goal}
          </h2>
          <div className="mono muted repo-path">{run.projectPath}</div>
        </div>
        <div className="actions">
          {/* Over runs stay subscribed (a resume would show at once), but there is nothing live to announce. */}
          {(!isRunOver(status) || stream !== 'open') && (
            <span className={`live live-${stream}`} title={`event stream: ${stream}`}>
              {stream === 'open' ? 'live' : stream}
            </span>
          )}
          {(canCancelRun(status) || pending === 'cancel') && (
            // On a run that stopped, cancel closes it for good: no resume, its worktrees removed.
            <button type="button" className="danger" disabled={busy} aria-busy={pending === 'cancel'} onClick={() => void act('cancel')} title={isRunOver(status) ? 'close this run for good' : 'stop this run'}>
              {pending === 'cancel' ? doing.cancel : 'Cancel'}
            </button>
          )}
          {(canResumeRun(status) || pending === 'resume') && (
            <button type="button" disabled={busy} aria-busy={pending === 'resume'} onClick={() => void act('resume')}>
              {pending === 'resume' ? doing.resume : 'Resume'}
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
      {run.reason && status === run.status && run.status !== 'succeeded' && <p className={run.status === 'failed' ? 'error' : 'muted'}>{run.reason}</p>}
      {pending && (
        <p className="notice pending" role="status">
          <span className="spinner" aria-hidden="true" /> {pending === 'resume' ? 'Asking the server to resume the run…' : 'Asking the server to cancel the run…'}
        </p>
      )}
      {notice && (
        <p className="notice toast" role="status" data-testid="run-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </header>
  );
}
