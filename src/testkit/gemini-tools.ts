/**
 * How a script's tool blocks become the function calls Gemini CLI executes, so one script drives Claude Code, Codex
 * and Gemini CLI.
 *
 * - `Write {file_path, content}` → `write_file {file_path, content}` (relative paths are taken from the cwd).
 * - `Edit {file_path, old_string, new_string}` → `replace {file_path, instruction, old_string, new_string}`.
 * - `Bash {command}` → `run_shell_command {command, description?}`. `Read {file_path}` → `read_file {file_path}`.
 * - `Glob {pattern}` → `glob`, `Grep {pattern}` → `grep_search`.
 * - Any other name: a function call with that name and the input as its arguments (`list_directory`, …).
 */

export interface GeminiCall {
  name: string;
  args: Record<string, unknown>;
}

function pick(input: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.flatMap((key) => (input[key] === undefined ? [] : [[key, input[key]]])));
}

export function toGeminiCall(name: string, input: Record<string, unknown>): GeminiCall {
  switch (name) {
    case 'Write':
      return { name: 'write_file', args: pick(input, 'file_path', 'content') };
    case 'Edit':
      return {
        name: 'replace',
        args: { instruction: 'Scripted edit.', ...pick(input, 'file_path', 'old_string', 'new_string'), ...(input['replace_all'] === true ? { allow_multiple: true } : {}) },
      };
    case 'Bash':
      return { name: 'run_shell_command', args: pick(input, 'command', 'description') };
    case 'Read':
      return { name: 'read_file', args: pick(input, 'file_path') };
    case 'Glob':
      return { name: 'glob', args: { ...pick(input, 'pattern'), ...(typeof input['path'] === 'string' ? { dir_path: input['path'] } : {}) } };
    case 'Grep':
      return { name: 'grep_search', args: pick(input, 'pattern') };
    default:
      return { name, args: input };
  }
}
