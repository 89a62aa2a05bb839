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

process.exitCode = await main(process.argv.slice(2));
