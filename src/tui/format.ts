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

const ellipsis = '…';
const isPath = (word: string): boolean => /[\\/]/.test(word) && !/^[a-z]+:\/\//i.test(word);
const basenameStart = (word: string): number => Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1;

/** At most `width` characters, cut where it loses least: a path gives up its directories before its file name
 * (`Edit …/tui/format.ts`), then the text is cut in the middle so its end (usually the file name) stays. */
export function shortenMiddle(text: string, width: number): string {
  const length = (t: string) => [...t].length;
  if (length(text) <= width) return text;
  if (width <= 1) return truncate(text, width);
  const words = text.split(' ');
  // The longest paths first: each keeps only its file name behind an ellipsis.
  const paths = words.map((w, i) => [w, i] as const).filter(([w]) => isPath(w) && basenameStart(w) > 0).sort((a, b) => b[0].length - a[0].length);
  for (const [word, i] of paths) {
    words[i] = `${ellipsis}/${word.slice(basenameStart(word))}`;
    const shorter = words.join(' ');
    if (length(shorter) <= width) return shorter;
  }
  // Still too long: keep the end from the last file name on (or the second half), and as much of the start (the
  // tool's name) as fits before it.
  const chars = [...words.join(' ')];
  const last = paths.length > 0 ? Math.max(...paths.map(([, i]) => i)) : -1;
  const fileAt = last < 0 ? -1 : length(words.slice(0, last).join(' ')) + (last > 0 ? 1 : 0) + 2;
  const fromFile = fileAt < 0 ? 0 : chars.length - fileAt;
  if (fromFile > 0 && fromFile <= width - 1) return `${chars.slice(0, width - 1 - fromFile).join('')}${ellipsis}${chars.slice(fileAt).join('')}`;
  if (fileAt >= 0) {
    // The file name and what follows it are too long together: the tool's name, the file name, then what fits.
    const head = Math.min(length(words[0] ?? '') + 1, Math.floor(width / 3));
    const room = width - 1 - head;
    const file = [...(words[last] ?? '').slice(basenameStart(words[last] ?? ''))];
    // A file name longer than the room keeps its start and its extension.
    const shown = file.length <= room ? truncate(chars.slice(fileAt).join(''), room) : `${file.slice(0, room - 1 - Math.ceil((room - 1) / 2)).join('')}${ellipsis}${file.slice(file.length - Math.ceil((room - 1) / 2)).join('')}`;
    return `${chars.slice(0, head).join('')}${ellipsis}${shown}`;
  }
  const tail = Math.ceil((width - 1) / 2);
  return `${chars.slice(0, width - 1 - tail).join('')}${ellipsis}${chars.slice(chars.length - tail).join('')}`;
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
