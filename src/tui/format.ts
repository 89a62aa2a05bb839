// Short, fixed-width text for the dashboard's cells.
import { retryWords } from '../domain/retry-words.ts';
import { stripTerminalControls } from '../domain/terminal-text.ts';
import { usd } from '../report/markdown.ts';

/** Terminal controls removed (agent text may hold escape sequences), newlines and tabs flattened: one event is one line on screen. */
export const oneLine = (text: string): string => stripTerminalControls(text).replace(/\s*[\r\n]+\s*/g, ' ⏎ ').replace(/\t/g, ' ').trim();

/** At most `width` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

/** Exactly `width` characters: cut, then padded (on the left when `right`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'right' ? pad + cut : cut + pad;
}

export function tokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export const cost = (value: number): string => usd(value);

export function diffStat(diff: { filesChanged: number; insertions: number; deletions: number } | null): string {
  return diff ? `${diff.filesChanged}f +${diff.insertions} -${diff.deletions}` : '';
}

/** An `attempt.activity` event as one log line, or undefined for kinds not worth a line. */
export function activityLine(data: Record<string, unknown>): string | undefined {
  const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  switch (data['kind']) {
    case 'tool':
      return oneLine(`${text(data['tool'])} ${text(data['summary'])}`);
    case 'text':
      return oneLine(text(data['text']));
    case 'retry':
      return retryWords(data);
    case 'result':
      return `result: ${data['isError'] === true ? 'error' : 'ok'}, ${text(data['turns'])} turns, ${usd(Number(data['costUsd'] ?? 0))}`;
    default:
      return undefined;
  }
}
