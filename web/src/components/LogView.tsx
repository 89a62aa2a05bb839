// An attempt's output, followed while it runs: pages from /logs?after=N, rendered or raw.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, isRefusal } from '../api/client.ts';
import { reportRefused } from '../api/key.ts';
import type { LogLine } from 'orch/client';
import { renderLogLine } from '../logs/render.ts';

const pollMs = 1000;

function useLogLines(attemptId: string, live: boolean): { lines: LogLine[]; error: string | undefined } {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string>();
  const liveRef = useRef(live);
  liveRef.current = live;
  // Restarts polling when a finished attempt goes live again (a resumed run).
  const wake = useRef<() => void>(() => undefined);

  useEffect(() => {
    setLines([]);
    setError(undefined);
    const controller = new AbortController();
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pulling = false;
    let done = false;
    const pull = async (): Promise<void> => {
      pulling = true;
      try {
        // Drain what is there; wait for more only while the attempt is live.
        for (;;) {
          const page = await api.getLogs(attemptId, next, { signal: controller.signal });
          if (page.lines.length > 0) setLines((old) => old.concat(page.lines));
          const moved = page.next !== next;
          next = page.next;
          done = page.done;
          if (!moved || page.lines.length === 0) break;
        }
        setError(undefined);
      } catch (reason) {
        if (controller.signal.aborted) return;
        if (isRefusal(reason)) reportRefused(reason.message);
        setError(reason instanceof Error ? reason.message : String(reason));
      }
      pulling = false;
      // The pull after the attempt ends picks up its last lines, then polling stops.
      if (!controller.signal.aborted && liveRef.current && !done) timer = setTimeout(() => void pull(), pollMs);
    };
    wake.current = () => {
      done = false;
      if (!pulling && !controller.signal.aborted) {
        clearTimeout(timer);
        void pull();
      }
    };
    void pull();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [attemptId]);

  useEffect(() => {
    wake.current();
  }, [live]);
  return { lines, error };
}

export function LogView({ attemptId, live, worktree }: { attemptId: string; live: boolean; worktree: string }) {
  const { lines, error } = useLogLines(attemptId, live);
  const [raw, setRaw] = useState(false);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const entries = useMemo(() => lines.flatMap((line) => renderLogLine(line, worktree)), [lines, worktree]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [entries, raw, follow]);

  const onScroll = (): void => {
    const el = box.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 40);
  };

  return (
    <div className="log">
      <div className="log-toolbar">
        <span className="muted">
          {lines.length} lines{live ? ' · following' : ''}
        </span>
        <label className="toggle">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> raw
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      <div className="log-body" ref={box} onScroll={onScroll}>
        {lines.length === 0 && <p className="muted">{live ? 'Waiting for output…' : 'No output.'}</p>}
        {raw
          ? lines.map((line, i) => (
              <div key={i} className={`log-raw ${line.s === 'stderr' ? 'log-stderr' : ''}`}>
                {line.line}
              </div>
            ))
          : entries.map((entry, i) => (
              <div key={i} className={`log-entry log-${entry.kind}`}>
                <span className="log-time">{Number.isFinite(entry.t) ? new Date(entry.t).toLocaleTimeString() : ''}</span>
                {entry.label !== undefined && <span className="log-label">{entry.label}</span>}
                <span className="log-text">{entry.text}</span>
              </div>
            ))}
      </div>
    </div>
  );
}
