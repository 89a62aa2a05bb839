// The portfolio: each project's state and why, its next cycle, its spend against its budget, its last cycle, and
// its backlog with a form to add a task. Kept current from the global event stream (cycles and backlog changes).
import { useState, type FormEvent } from 'react';
import type { BacklogTask, BacklogTaskType, PortfolioStatus, ProjectStatus } from 'orch/client';
import { api, isRefusal, OrchApiError } from '../api/client.ts';
import { reportRefused } from '../api/key.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ago, usd } from '../format.ts';
import { useEventStream, useThrottled } from '../hooks/useEventStream.ts';
import { useNow } from '../hooks/useNow.ts';
import { useResource } from '../hooks/useResource.ts';
import { runHref } from '../hooks/useRoute.ts';

const types: BacklogTaskType[] = ['code', 'fix', 'test', 'docs', 'review'];

export function Portfolio() {
  const status = useResource<PortfolioStatus>((signal) => api.getPortfolio({ signal }), []);
  const reload = useThrottled(status.reload, 500);
  useEventStream(undefined, (event) => {
    if (event.type.startsWith('cycle.') || event.type.startsWith('backlog.') || event.type.startsWith('run.')) reload();
  });
  const now = useNow(true, 5_000);

  if (status.error && !status.data) return <p className="error card">Could not load the portfolio: {status.error.message}</p>;
  if (!status.data) return <p className="muted">Loading the portfolio…</p>;
  const { data } = status;
  return (
    <div data-testid="portfolio">
      <section className="card">
        <div className="card-head">
          <h2>Portfolio {data.portfolio}</h2>
          <span className={data.daemon.running ? '' : 'muted'} data-testid="daemon">
            daemon {data.daemon.running ? `up (pid ${data.daemon.pid ?? '?'})` : 'down — start it with orch start'}
          </span>
        </div>
      </section>
      {data.projects.map((project) => (
        <ProjectCard key={project.name} project={project} now={now} onChange={status.reload} />
      ))}
    </div>
  );
}

function spend(project: ProjectStatus): string {
  const day = project.budget.dailyUsd === null ? '' : ` of ${usd(project.budget.dailyUsd)}`;
  const month = project.budget.monthlyUsd === null ? '' : ` · ${usd(project.costMonthUsd)} of ${usd(project.budget.monthlyUsd)} this month`;
  return `${usd(project.costTodayUsd)}${day} today${month} · ${usd(project.costTotalUsd)} in total`;
}

function ProjectCard({ project, now, onChange }: { project: ProjectStatus; now: number; onChange: () => void }) {
  const tasks = useResource<BacklogTask[]>((signal) => api.getBacklog(project.name, {}, { signal }), [project.name, project.tasks.pending, project.tasks.done, project.tasks.deferred, project.tasks.failed]);
  const daily = project.budget.dailyUsd;
  return (
    <section className="card" data-testid={`project-${project.name}`}>
      <div className="card-head">
        <h2>{project.name}</h2>
        <StatusBadge status={project.state} title={project.why ?? undefined} />
        <span className="muted mono">{project.path}</span>
      </div>
      {project.why !== null && <p className="muted" data-testid="why">{project.why}</p>}
      <dl className="facts">
        <dt>next cycle</dt>
        <dd data-testid="next">{project.nextCycleAt === null ? '—' : `${new Date(project.nextCycleAt).toLocaleTimeString()} (${Math.max(0, Math.round((Date.parse(project.nextCycleAt) - now) / 1000))}s)`}</dd>
        <dt>spend</dt>
        <dd data-testid="spend">
          {spend(project)}
          {daily !== null && <meter min={0} max={daily} value={Math.min(project.costTodayUsd, daily)} />}
        </dd>
        <dt>last cycle</dt>
        <dd data-testid="last-cycle">
          {project.lastCycle === null ? (
            'none yet'
          ) : (
            <>
              <a href={runHref(project.lastCycle.runId)}>{project.lastCycle.runId}</a> <StatusBadge status={project.lastCycle.status} /> {ago(project.lastCycle.startedAt, now)}
              {project.lastCycle.summary && <div className="sub">{project.lastCycle.summary}</div>}
            </>
          )}
        </dd>
        <dt>tasks</dt>
        <dd>
          {project.tasks.pending} pending · {project.tasks.running} running · {project.tasks.done} done · {project.tasks.failed} failed · {project.tasks.deferred} deferred
        </dd>
      </dl>
      <table className="grid" data-testid="backlog">
        <thead>
          <tr>
            <th>#</th>
            <th>status</th>
            <th>type</th>
            <th>priority</th>
            <th>task</th>
            <th className="num">cost</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(tasks.data ?? []).map((task) => (
            <tr key={task.id}>
              <td className="mono">{task.id}</td>
              <td>
                <StatusBadge status={task.status} title={task.reason ?? undefined} />
              </td>
              <td>{task.type}</td>
              <td>{task.priority}</td>
              <td>
                {task.title}
                {task.description && <div className="sub">{task.description}</div>}
              </td>
              <td className="num">{usd(task.costUsd)}</td>
              <td>
                {(task.status === 'pending' || task.status === 'blocked' || task.status === 'failed') && (
                  <button type="button" className="quiet" onClick={() => void api.deferBacklogTask(task.id).then(onChange, () => undefined)}>
                    Defer
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddTask project={project.name} onAdded={onChange} />
    </section>
  );
}

function AddTask({ project, onAdded }: { project: string; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<BacklogTaskType>('code');
  const [priority, setPriority] = useState(2);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.addBacklogTask(project, { title, description, type, priority });
      setTitle('');
      setDescription('');
      onAdded();
    } catch (reason) {
      if (isRefusal(reason)) reportRefused(reason.message);
      setError(reason instanceof OrchApiError ? `${reason.message}${reason.hint ? ` ${reason.hint}` : ''}` : String(reason));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form inline" onSubmit={(e) => void submit(e)} data-testid="add-task">
      <div className="row">
        <label>
          New task
          <input name="title" placeholder="what to do, in one line" value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="narrow">
          type
          <select name="type" value={type} onChange={(e) => setType(e.target.value as BacklogTaskType)}>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="narrow">
          priority
          <input name="priority" type="number" min={1} max={9} value={priority} onChange={(e) => setPriority(Number(e.target.value))} />
        </label>
      </div>
      <label>
        details
        <textarea name="description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        Add task
      </button>
    </form>
  );
}
