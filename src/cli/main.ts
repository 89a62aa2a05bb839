// The orch command line: parse, call the engine, print. Errors are mapped to exit codes here and only here.
import { Command, CommanderError } from 'commander';
import { exitCodeFor } from '../domain/errors.ts';
import { registerClean } from './commands/clean.ts';
import { registerDemo } from './commands/demo.ts';
import { registerInit } from './commands/init.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerLogs } from './commands/logs.ts';
import { registerRun } from './commands/run.ts';
import { describeError, printErr } from './output.ts';

export function buildProgram(): Command {
  const program = new Command('orch')
    .description('Run many AI coding agents on one repository, judge their work with your own checks, merge the best.')
    .version('0.1.0')
    .showHelpAfterError('(run orch --help for usage)')
    .exitOverride();
  registerRun(program);
  registerInspect(program);
  registerLogs(program);
  registerClean(program);
  registerInit(program);
  registerDemo(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    printErr(describeError(error));
    return exitCodeFor(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
