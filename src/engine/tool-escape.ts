// Which tool calls of an agent named a path outside its worktree. Read from the tool_use events the adapters parse
// (their `summary` is the call's file path, or its shell command). For file tools the path is exact; for shell
// commands it is a HEURISTIC: every word that looks like an absolute path, `~`, or a relative path climbing out with
// `..` is resolved against the worktree. A command can reach outside without such a word (`cd $(…)`, variables,
// a script it wrote), and an absolute path may be harmless (`/usr/bin/env`): this flags for a person to look, it
// blocks nothing. The OS sandbox is what confines.
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { AgentEvent } from '../domain/agent-events.ts';

export interface ToolEscape {
  tool: string;
  path: string;
}

const shellTools = /^(bash|shell|command_execution|run_shell_command|exec_command|local_shell)$/i;
/** File tools whose summary is the one path they act on (Claude Code, Gemini, opencode, Aider, Codex's file_change). */
const fileTools = /^(write|edit|multiedit|read|notebookedit|notebookread|glob|ls|write_file|read_file|read_many_files|replace|list_directory|list|file_change|patch)$/i;
/** Paths every program names without leaving anything: not worth a flag. */
const harmless = new Set(['/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/tty']);

/** The paths outside `worktree` that one tool call names; empty for other events. */
export function toolEscapes(event: AgentEvent, worktree: string): ToolEscape[] {
  if (event.kind !== 'tool_use') return [];
  const words = shellTools.test(event.tool) ? shellWords(event.summary) : fileTools.test(event.tool) ? fileWords(event.tool, event.summary) : [];
  const outside = new Set(words.filter((word) => !harmless.has(word) && leaves(word, worktree)));
  return [...outside].map((path) => ({ tool: event.tool, path }));
}

/** Codex's file_change summary lists several changes (`add /path, update /other`); the others are one path. */
function fileWords(tool: string, summary: string): string[] {
  if (tool !== 'file_change') return summary === '' ? [] : [summary];
  return summary
    .split(/,\s+/)
    .map((part) => part.replace(/^(add|update|delete|change)\s+/i, '').trim())
    .filter((part) => part !== '');
}

/** Words of a shell command that look like paths: absolute, home-relative, or with a `..` segment. */
export function shellWords(command: string): string[] {
  return command
    .split(/[\s;|&<>()`'"=]+/)
    .filter((word) => word.startsWith('/') || word === '~' || word.startsWith('~/') || /(^|\/)\.\.(\/|$)/.test(word));
}

function leaves(path: string, worktree: string): boolean {
  const expanded = path === '~' || path.startsWith('~/') ? `${process.env['HOME'] ?? homedir()}${path.slice(1)}` : path;
  const inside = relative(worktree, resolve(worktree, expanded));
  return inside === '..' || inside.startsWith('../') || isAbsolute(inside);
}
