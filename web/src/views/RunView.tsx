// One run: header, outcome, the attempts grid, the selected attempt (log, diff, verdict), comparisons, tasks.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { OrchEvent, RunReport, RunTimeline, Verdict } from 'orch/client';
import type { TaskNode } from '../components/task-layout.ts';
import { ActivityFeed, activityText } from '../components/ActivityFeed.tsx';
import { AttemptPanel } from '../components/AttemptPanel.tsx';
import { attemptLabel, landedAttempts, tasksByKey } from '../components/attempt-label.ts';
import { AttemptsGrid } from '../components/AttemptsGrid.tsx';
import { Comparisons, Outcome, winnerOf } from '../components/Outcome.tsx';
import { PlanOutcome } from '../components/PlanOutcome.tsx';
import { RunHeader } from '../components/RunHeader.tsx';
import { TaskGraph } from '../components/TaskGraph.tsx';
import { TimelineChart } from '../components/TimelineChart.tsx';
import { useEventStream, useThrottled } from '../hooks/useEventStream.ts';
import { useNow } from '../hooks/useNow.ts';
import { useResource } from '../hooks/useResource.ts';
import { navigate, runHref } from '../hooks/useRoute.ts';

const live = (status: string): boolean => status === 'running' || status === 'queued';

export function RunView({ id, attemptId }: { id: string; attemptId: string | undefined }) {
  const detail = useResource<RunReport>((signal) => api.getRun(id, { signal }), [id]);
  const tasks = useResource<TaskNode[]>((signal) => api.getTasks(id, { signal }), [id]);
  const [events, setEvents] = useState<OrchEvent[]>([]);
  const [activity, setActivity] = useState(() => new Map<string, string>());
  const reload = useThrottled(detail.reload, 300);
  const reloadTasks = useThrottled(tasks.reload, 1000);
  const timeline = useResource<RunTimeline>((signal) => api.getTimeline(id, { signal }), [id]);
  const reloadTimeline = useThrottled(timeline.reload, 1000);

  useEffect(() => {
    setEvents([]);
    setActivity(new Map());
  }, [id]);

  const stream = useEventStream(id, (event) => {
    if (event.runId !== null && event.runId !== id) return;
    setEvents((old) => (old.length > 0 && (old.at(-1)?.seq ?? 0) >= event.seq ? old : [...old, event]));
    const doing = activityText(event);
    if (doing !== undefined && event.attemptId !== null) setActivity((old) => new Map(old).set(event.attemptId as string, doing));
    reload();
    if (event.type.startsWith('task.')) reloadTasks();
    reloadTimeline();
  });

  const data = detail.data;
  const running = data !== undefined && live(data.run.status);
  const now = useNow(running);

  const verdicts = useMemo(() => new Map<string, Verdict>((data?.verdicts ?? []).map((v) => [v.attemptId, v])), [data]);
  const byKey = useMemo(() => tasksByKey(tasks.data), [tasks.data]);
  if (detail.error && !data) return <p className="error card">Could not load run {id}: {detail.error.message}</p>;
  if (!data) return <p className="muted">Loading run…</p>;

  // A plan run has no one winner: each task's merged attempt is its own result.
  const plan = data.run.strategy === 'plan' || byKey.size > 0;
  const winnerId = plan ? null : winnerOf(data.run, data.merges);
  const winners = plan ? landedAttempts(data.merges) : new Set(winnerId === null ? [] : [winnerId]);
  const selected =
    data.attempts.find((a) => a.id === attemptId) ??
    data.attempts.find((a) => a.status === 'running') ??
    data.attempts.find((a) => a.id === winnerId) ??
    data.attempts.at(-1);
  const select = (attempt: string): void => navigate(runHref(id, attempt));

  return (
    <div className="run-view">
      {data.project?.paused === true && (
        <div className="card notice-paused" role="status">
          This project is <strong>paused</strong> ({data.project.pausedReason ?? 'by hand'}): no new run starts until someone runs{' '}
          <code>orch project unpause</code>.
        </div>
      )}
      <RunHeader run={data.run} now={now} stream={stream} onChanged={detail.reload} />
      {plan ? (
        tasks.data && tasks.data.length > 0 && <PlanOutcome run={data.run} tasks={tasks.data} byKey={byKey} attempts={data.attempts} merges={data.merges} onSelect={select} />
      ) : (
        <Outcome run={data.run} attempts={data.attempts} merges={data.merges} tasks={byKey} onSelect={select} />
      )}
      <section className="card">
        <h3>Attempts</h3>
        <AttemptsGrid
          attempts={data.attempts}
          verdicts={verdicts}
          winners={winners}
          tasks={byKey}
          selectedId={selected?.id}
          activity={activity}
          workers={new Map((data.workers ?? []).map((w) => [w.attemptId, w.worker]))}
          now={now}
          onSelect={select}
        />
      </section>
      {selected && <AttemptPanel attempt={selected} label={attemptLabel(selected, byKey)} verdict={verdicts.get(selected.id)} winner={winners.has(selected.id)} />}
      {timeline.data && timeline.data.lanes.length > 0 && (
        <section className="card">
          <h3>Timeline</h3>
          <TimelineChart timeline={timeline.data} />
        </section>
      )}
      <Comparisons comparisons={data.comparisons} attempts={data.attempts} tasks={byKey} />
      {tasks.data && tasks.data.length > 0 && (
        <section className="card">
          <h3>Tasks</h3>
          <TaskGraph tasks={tasks.data} />
        </section>
      )}
      <section className="card">
        <details>
          <summary>
            <h3 className="inline">Events</h3> <span className="muted">{events.length}</span>
          </summary>
          <ActivityFeed events={events} attempts={data.attempts} />
        </details>
      </section>
    </div>
  );
}
