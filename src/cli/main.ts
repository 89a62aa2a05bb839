// The orch command line: parse, call the engine, print. Errors are mapped to exit codes here and only here.
import { CommanderError } from 'commander';
import { exitCodeFor } from '../domain/errors.ts';
import { platformError } from './platform-errors.ts';
import { describeError, printErr } from './output.ts';
import { buildProgram } from './program.ts';
import { guardStandardStreams } from './stdio-guard.ts';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const mapped = platformError(error);
    printErr(describeError(mapped));
    return exitCodeFor(mapped);
  }
}

/** The last line of defence: an error no code awaited (a timer's, a stream's) still ends in a message, not a stack. */
function exitOnStrayError(error: unknown): void {
  const mapped = platformError(error);
  printErr(describeError(mapped));
  process.exit(exitCodeFor(mapped));
}

guardStandardStreams();
process.on('uncaughtException', exitOnStrayError);
process.on('unhandledRejection', exitOnStrayError);
process.exitCode = await main(process.argv.slice(2));
