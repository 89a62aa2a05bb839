// Before any agent starts: is each check command something that can run at all? A typo in --test-cmd should
// fail in a second, not after an hour of agent work.
import { OrchError } from '../domain/errors.ts';
import type { CheckCommand } from '../domain/config.ts';
import { findExecutable } from '../process/which.ts';

// Shell builtins and reserved words: the shell itself runs these.
const shellBuiltins = new Set(['cd', 'exit', 'true', 'false', 'test', '[', 'echo', 'set', 'export', ':', '.', 'exec', 'command', 'env', 'if', 'for', 'while', 'until', 'case', 'time', '!', '{', 'eval', 'printf', 'read', 'source', 'type']);

function firstWord(command: CheckCommand): string | undefined {
  if (Array.isArray(command)) return command[0];
  // Skip leading VAR=value assignments; stop at shell syntax we do not try to understand.
  for (const word of command.trim().split(/\s+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return /^[\w./@+-]+$/.test(word) ? word : undefined;
  }
  return undefined;
}

export function assertCheckRunnable(name: string, command: CheckCommand, repoRoot: string): void {
  const program = firstWord(command);
  if (program === undefined || shellBuiltins.has(program)) return;
  if (findExecutable(program, repoRoot) === undefined) {
    throw new OrchError('check_command_not_found', `The ${name} command '${typeof command === 'string' ? command : command.join(' ')}' cannot run: '${program}' was not found.`, {
      hint: `Install ${program}, or fix the ${name} command in orch.config.json or --${name}-cmd.`,
    });
  }
}
