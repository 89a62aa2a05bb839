// Numbers and times as a person reads them.

export function usd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

export function tokens(value: number): string {
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

export function duration(ms: number): string {
  if (ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** From start to end, or to now while it is still going. */
export function span(start: string | null, end: string | null, now: number): string {
  if (start === null) return '—';
  return duration((end === null ? now : Date.parse(end)) - Date.parse(start));
}

export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-6) : id;
}

export function agentLabel(agent: string, model: string | null): string {
  return model ? `${agent}:${model}` : agent;
}

/** Paths inside an attempt's worktree, relative to it: `src/math.js`, not `/home/…/worktrees/…/src/math.js`. */
export function relativeTo(worktree: string | undefined, text: string): string {
  if (!worktree) return text;
  return text.replaceAll(worktree.endsWith('/') ? worktree : `${worktree}/`, '');
}

/** Activity text split where a narrow cell may cut it: the head (tool, directories) can lose its end to an
 * ellipsis, the tail (the last path's file name and what follows) is kept whole. No path: all head. */
export function splitAtFileName(text: string): { head: string; tail: string } {
  const match = /^(.*[\\/])([^\\/\s]+(?:\s.*)?)$/s.exec(text);
  if (match === null || /:\/\/[^/\s]*$/.test(match[1] ?? '')) return { head: text, tail: '' };
  return { head: match[1] ?? '', tail: match[2] ?? '' };
}
