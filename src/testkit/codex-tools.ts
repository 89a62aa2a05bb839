/**
 * How a script's tool blocks become the tool calls Codex executes, so one script drives Claude Code and Codex.
 *
 * - `Write {file_path, content}`: an `apply_patch` custom tool call with an `*** Add File:` patch (it creates
 *   directories and replaces an existing file; every line, the last included, ends with a newline). When the request
 *   offers no `apply_patch` (Codex with a model it does not know), an `exec_command` that runs `mkdir -p` and `printf`.
 * - `Edit {file_path, old_string, new_string}`: an `apply_patch` `*** Update File:` hunk replacing the old lines with
 *   the new ones; `old_string` must be whole lines of the file.
 * - `Bash {command}`: `exec_command {cmd}`. `Read {file_path}`: `exec_command` running `cat`.
 * - `apply_patch {input}` (or `{patch}`): that patch, verbatim. Any other name: a function call with the input as its
 *   JSON arguments (`exec_command {cmd, workdir?}`, `write_stdin`, …): raw calls for what the mapping does not cover.
 */
import { posix } from 'node:path';

export type CodexCall = { kind: 'function'; name: string; arguments: string } | { kind: 'custom'; name: string; input: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** One POSIX shell word: the scripted model's own text, quoted so the shell passes it through untouched. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function linesOf(value: string): string[] {
  if (value === '') return [];
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function patch(...hunk: string[]): CodexCall {
  return { kind: 'custom', name: 'apply_patch', input: ['*** Begin Patch', ...hunk, '*** End Patch', ''].join('\n') };
}

function exec(cmd: string): CodexCall {
  return { kind: 'function', name: 'exec_command', arguments: JSON.stringify({ cmd }) };
}

function write(path: string, content: string, tools: ReadonlySet<string>): CodexCall {
  // No tools listed: a hand-made request; answer as for Codex's default model, which has apply_patch.
  if (tools.size === 0 || tools.has('apply_patch')) {
    return patch(`*** Add File: ${path}`, ...linesOf(content).map((line) => `+${line}`));
  }
  return exec(`mkdir -p -- ${shellQuote(posix.dirname(path))} && printf '%s' ${shellQuote(content)} > ${shellQuote(path)}`);
}

export function toCodexCall(name: string, input: Record<string, unknown>, tools: ReadonlySet<string>): CodexCall {
  switch (name) {
    case 'Write':
      return write(text(input['file_path']), text(input['content']), tools);
    case 'Edit':
      return patch(
        `*** Update File: ${text(input['file_path'])}`,
        '@@',
        ...linesOf(text(input['old_string'])).map((line) => `-${line}`),
        ...linesOf(text(input['new_string'])).map((line) => `+${line}`),
      );
    case 'Bash':
      return exec(text(input['command']));
    case 'Read':
      return exec(`cat -- ${shellQuote(text(input['file_path']))}`);
    case 'apply_patch':
      return { kind: 'custom', name, input: text(input['input'] ?? input['patch']) };
    default:
      return { kind: 'function', name, arguments: JSON.stringify(input) };
  }
}
