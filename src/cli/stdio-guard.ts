// stdout or stderr that cannot be written: a reader that went away (`orch runs | head -1`: EPIPE) ends orch
// quietly, as it does for git; stdout that is closed, read-only or on a full disk (EBADF, ENOSPC) is said once on
// stderr. Without these listeners Node throws the stream's error as an uncaught exception with a stack trace.
import { describeStreamFailure } from './output.ts';

/** Exit status of a program whose reader went away: what a shell reports for one killed by SIGPIPE. */
export const brokenPipeExitCode = 141;

export function guardStandardStreams(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(brokenPipeExitCode);
    try {
      process.stderr.write(`${describeStreamFailure(error)}\n`);
    } catch {
      // stderr is gone too: nothing is left to say it with.
    }
    process.exit(2);
  });
  // A failing stderr must not stop a run: the messages are lost, the work and its record are not.
  process.stderr.on('error', () => {});
}
