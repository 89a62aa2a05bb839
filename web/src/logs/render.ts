// An agent's raw output lines (Claude Code stream-json, Codex JSON, plain text) as entries a person can read.
import type { LogLine } from 'orch/client';
import { relativeTo } from '../format.ts';

export type LogEntryKind = 'text' | 'tool' | 'tool_result' | 'tool_error' | 'result' | 'error' | 'session' | 'raw' | 'stderr';

export interface LogEntry {
  kind: LogEntryKind;
  /** Tool name, or a short label. */
  label?: string;
  text: string;
  t: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

function clip(text: string, limit = 400): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function toolInput(input: unknown): string {
  if (!isObject(input)) return '';
  const key = ['file_path', 'command', 'pattern', 'path', 'url', 'query', 'description', 'prompt'].find((k) => typeof input[k] === 'string');
  return clip(key === undefined ? JSON.stringify(input) : (input[key] as string), 200);
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return objects(content)
    .map((block) => str(block['text']) ?? '')
    .join('\n');
}

function claude(value: Json, t: number): LogEntry[] | undefined {
  const message = isObject(value['message']) ? value['message'] : {};
  switch (value['type']) {
    case 'system':
      if (value['subtype'] === 'init') return [{ kind: 'session', label: 'session', text: `started${str(value['model']) ? ` · ${str(value['model'])}` : ''}`, t }];
      if (value['subtype'] === 'api_retry') return [{ kind: 'error', label: 'retry', text: `API retry ${String(value['attempt'])} after status ${String(value['error_status'])}`, t }];
      return [];
    case 'assistant':
      return objects(message['content']).flatMap((block): LogEntry[] => {
        if (block['type'] === 'text') return [{ kind: 'text', text: str(block['text']) ?? '', t }];
        if (block['type'] === 'tool_use') return [{ kind: 'tool', label: str(block['name']) ?? 'tool', text: toolInput(block['input']), t }];
        return [];
      });
    case 'user':
      return objects(message['content'])
        .filter((block) => block['type'] === 'tool_result')
        .map((block) => ({ kind: block['is_error'] === true ? 'tool_error' : 'tool_result', text: clip(resultText(block['content'])), t }));
    case 'result': {
      const error = value['is_error'] === true;
      const cost = typeof value['total_cost_usd'] === 'number' ? ` · $${value['total_cost_usd'].toFixed(4)}` : '';
      const turns = typeof value['num_turns'] === 'number' ? ` · ${value['num_turns']} turns` : '';
      return [{ kind: error ? 'error' : 'result', label: error ? 'failed' : 'done', text: `${clip(str(value['result']) ?? str(value['subtype']) ?? '')}${turns}${cost}`, t }];
    }
    default:
      return undefined;
  }
}

function codex(value: Json, t: number): LogEntry[] | undefined {
  const type = str(value['type']);
  if (type === 'thread.started') return [{ kind: 'session', label: 'thread', text: str(value['thread_id']) ?? '', t }];
  if (type === 'turn.failed' || type === 'error') return [{ kind: 'error', label: 'error', text: clip(JSON.stringify(value['error'] ?? value['message'] ?? value)), t }];
  if (type !== 'item.completed' && type !== 'item.started') return undefined;
  const item = isObject(value['item']) ? value['item'] : {};
  if (type === 'item.started') {
    if (item['type'] === 'command_execution') return [{ kind: 'tool', label: 'shell', text: clip(str(item['command']) ?? ''), t }];
    return [];
  }
  switch (item['type']) {
    case 'agent_message':
      return [{ kind: 'text', text: str(item['text']) ?? '', t }];
    case 'command_execution':
      return [{ kind: item['exit_code'] === 0 ? 'tool_result' : 'tool_error', text: clip(str(item['aggregated_output']) ?? ''), t }];
    case 'file_change':
      return [{ kind: 'tool', label: 'edit', text: objects(item['changes']).map((c) => `${str(c['kind']) ?? ''} ${str(c['path']) ?? ''}`).join(', '), t }];
    default:
      return [];
  }
}

/** `worktree`: the attempt's directory, cut from paths so that `src/math.js` reads as such. */
export function renderLogLine(entry: LogLine, worktree?: string): LogEntry[] {
  return renderLine(entry).map((item) => ({ ...item, text: relativeTo(worktree, item.text) }));
}

function renderLine(entry: LogLine): LogEntry[] {
  const t = entry.t;
  if (entry.line.trim() === '') return [];
  if (entry.s === 'stderr') return [{ kind: 'stderr', text: entry.line, t }];
  try {
    const value: unknown = JSON.parse(entry.line);
    if (isObject(value) && typeof value['type'] === 'string') {
      // Lines of a known shape that carry nothing to read (stream deltas, rate-limit notices) are left out.
      const rendered = claude(value, t) ?? codex(value, t) ?? [];
      return rendered.filter((item) => item.text.trim() !== '' || item.kind === 'session');
    }
  } catch {
    // Not JSON: a plain program's output, shown as it came.
  }
  return [{ kind: 'raw', text: entry.line, t }];
}
