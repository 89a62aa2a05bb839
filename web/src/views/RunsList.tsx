// Every run, newest first, kept current from the global event stream.
import { api } from '../api/client.ts';
import type { Run } from 'orch/client';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ago, usd } from '../format.ts';
import { useEventStream, useThrottled } from '../hooks/useEventStream.ts';
import { useNow } from '../hooks/useNow.ts';
import { useResource } from '../hooks/useResource.ts';
import { runHref } from '../hooks/useRoute.ts';

export function RunsList() {
  const runs = useResource<Run[]>((signal) => api.listRuns({ limit: 100 }, { signal }), []);
  const reload = useThrottled(runs.reload, 500);
  useEventStream(undefined, (event) => {
    // Attempt activity is too fine to matter here; anything else may change a row.
    if (event.type !== 'attempt.activity') reload();
  });
  const now = useNow(true, 15_000);

  if (runs.error && !runs.data) return <p className="error card">Could not load runs: {runs.error.message}</p>;
  if (!runs.data) return <p className="muted">Loading runs…</p>;
  if (runs.data.length === 0) {
    return (
      <div className="card empty">
        <p>No runs yet.</p>
        <a className="button primary" href="#/new">
          Start a run
        </a>
      </div>
    );
  }
  return (
    <section className="card">
      <div className="card-head">
        <h2>Runs</h2>
        <span className="muted">{runs.data.length}</span>
        <a className="button primary" href="#/new">
          New run
        </a>
      </div>
      <div className="table-wrap">
        <table className="grid runs" data-testid="runs">
          <thead>
            <tr>
              <th>status</th>
              <th>goal</th>
              <th>strategy</th>
              <th>target</th>
              <th className="num">cost</th>
              <th>created</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id} className="clickable" onClick={() => (window.location.hash = runHref(run.id))}>
                <td>
                  <StatusBadge status={run.status} title={run.reason ?? undefined} />
                </td>
                <td className="goal-cell">
                  <a href={runHref(run.id)} onClick={(e) => e.stopPropagation()}>
                    {run.goal.split('\n')[0]}
                  </a>
                  <div className="sub mono">
                    {run.id} · {run.projectPath.split('/').at(-1)}
                  </div>
                </td>
                <td>{run.strategy}</td>
                <td className="mono">{run.target}</td>
                <td className="num">{usd(run.costUsd)}</td>
                <td className="nowrap" title={run.createdAt}>
                  {ago(run.createdAt, now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
