// Reading agent CLIs' JSON lines defensively: every field may be missing or of another type.
import type { AgentEvent } from '../domain/agent-events.ts';

export type Json = Record<string, unknown>;

const summaryLimit = 200;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** One line, at most 200 characters: for activity summaries. */
export function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > summaryLimit ? `${oneLine.slice(0, summaryLimit - 1)}…` : oneLine;
}

/** The telling part of a tool's input: its path, command or pattern, else the whole input, clipped. */
export function summariseToolInput(input: unknown): string {
  if (!isObject(input)) return '';
  const key = ['file_path', 'notebook_path', 'command', 'pattern', 'path', 'url', 'query', 'description', 'prompt'].find(
    (candidate) => typeof input[candidate] === 'string',
  );
  if (key !== undefined) return clip(input[key] as string);
  return clip(JSON.stringify(input));
}

/**
 * One line of a CLI's JSON-lines output: the object when it is one with a string `type`, else what to emit
 * instead (nothing for a blank line, a `raw` event for anything else).
 */
export function typedJsonLine(line: string): { value: Json & { type: string } } | { events: AgentEvent[] } {
  const trimmed = line.trim();
  if (trimmed === '') return { events: [] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { events: [{ kind: 'raw', text: line }] };
  }
  if (!isObject(value) || typeof value['type'] !== 'string') return { events: [{ kind: 'raw', text: line }] };
  return { value: value as Json & { type: string } };
}
