// The run's events as short lines, newest last: what the CLI prints, in the browser.
import { retryWords, type Attempt, type OrchEvent } from 'orch/client';
import { relativeTo, shortId } from '../format.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** What an attempt is doing now, from its latest activity event. */
export function activityText(event: OrchEvent): string | undefined {
  const d = event.data;
  if (event.type !== 'attempt.activity') return undefined;
  if (d['kind'] === 'tool') return `${text(d['tool'])} ${text(d['summary'])}`;
  if (d['kind'] === 'text') return text(d['text']);
  if (d['kind'] === 'retry') return retryWords(d);
  return undefined;
}

export function describeEvent(event: OrchEvent): string | undefined {
  const d = event.data;
  const who = event.attemptId ? `[${shortId(event.attemptId)}] ` : '';
  switch (event.type) {
    case 'run.started':
      return `run started: ${text(d['strategy'])} → ${text(d['target'])}`;
    case 'attempt.created':
      // Attempts are numbered per task: in a run with tasks the number needs its task.
      return `${who}${typeof d['taskKey'] === 'string' && d['taskKey'] !== 'main' ? `task ${d['taskKey']}: ` : ''}attempt ${text(d['n'])} with ${text(d['agent'])}${d['model'] ? ` (${text(d['model'])})` : ''}`;
    case 'attempt.started':
      return `${who}agent running`;
    case 'attempt.activity': {
      const what = activityText(event);
      return what && d['kind'] !== 'text' ? `${who}${what}` : undefined;
    }
    case 'attempt.finished':
      return `${who}attempt ${text(d['status'])} (${text(d['reason'])})`;
    case 'verdict.recorded':
      return `${who}judged: ${d['passed'] ? 'pass' : 'fail'}`;
    case 'selection.made':
      return `selection: ${text(d['reason'])}`;
    case 'comparison.recorded':
      return `compared ${shortId(text(d['aAttemptId']))} vs ${shortId(text(d['bAttemptId']))} → ${shortId(text(d['winnerAttemptId']))}`;
    case 'merge.recorded':
      return `merge ${text(d['status'])}: ${text(d['message'])}`;
    case 'run.note':
      return `note: ${text(d['message'])}`;
    default:
      if (event.type.startsWith('run.')) return `run ${event.type.slice(4)}${d['reason'] ? `: ${text(d['reason'])}` : ''}`;
      return undefined;
  }
}

export function ActivityFeed({ events, attempts }: { events: OrchEvent[]; attempts: Attempt[] }) {
  const worktrees = new Map(attempts.map((a) => [a.id, a.worktree]));
  const lines = events.flatMap((event) => {
    const described = describeEvent(event);
    const line = described === undefined || event.attemptId === null ? described : relativeTo(worktrees.get(event.attemptId), described);
    return line === undefined ? [] : [{ seq: event.seq, at: event.at, line, type: event.type }];
  });
  if (lines.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="feed">
      {lines.slice(-200).map((item) => (
        <li key={item.seq} className={`feed-${item.type.split('.')[0] ?? ''}`}>
          <span className="log-time">{new Date(item.at).toLocaleTimeString()}</span> {item.line}
        </li>
      ))}
    </ol>
  );
}
