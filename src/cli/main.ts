// The orch command line: parse, call the engine, print. Errors are mapped to exit codes here and only here.
import { CommanderError } from 'commander';
import { exitCodeFor } from '../domain/errors.ts';
import { describeError, printErr } from './output.ts';
import { buildProgram } from './program.ts';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    printErr(describeError(error));
    return exitCodeFor(error);
  }
}

// `orch runs | head`: the reader has gone, and what is left to print has nowhere to go. Not an error of orch's
// (git and the shell tools stop quietly too); the command itself carries on to its end.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await main(process.argv.slice(2));
