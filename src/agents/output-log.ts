// An agent's output log: JSON lines ({ t, s, line }) appended to a private file (directory 0700, file 0600).
// Written by runAgent for one-off calls, and by the engine for attempts, whose lines arrive through the executor.
import { createWriteStream, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OutputLog {
  write(stream: 'stdout' | 'stderr', line: string, t?: number): void;
  /** Resolves once every line written is on disk. */
  close(): Promise<void>;
}

export function openOutputLog(path: string): OutputLog {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  fchmodSync(fd, 0o600);
  const file = createWriteStream(path, { fd });
  let closed: Promise<void> | undefined;
  return {
    write: (stream, line, t = Date.now()) => {
      if (closed === undefined) file.write(`${JSON.stringify({ t, s: stream, line })}\n`);
    },
    close: () => (closed ??= new Promise<void>((done) => file.end(done))),
  };
}
