// Run a short program and collect its output: git, check commands. Same supervision as agents.
import { supervise, type ProcessResult, type SuperviseOptions } from './supervise.ts';

export interface RunOptions extends Omit<SuperviseOptions, 'argv' | 'onLine'> {
  /** Keep at most this many characters of each stream (the tail). Default 1 MiB. */
  maxOutputChars?: number;
}

export interface RunResult extends ProcessResult {
  stdout: string;
  stderr: string;
}

export async function run(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const limit = options.maxOutputChars ?? 1024 * 1024;
  const output = { stdout: new TailBuffer(limit), stderr: new TailBuffer(limit) };
  const result = await supervise({
    ...options,
    argv,
    onLine: (stream, line) => output[stream].push(line),
  });
  return { ...result, stdout: output.stdout.text(), stderr: output.stderr.text() };
}

/** Keeps the last `limit` characters of a line stream. */
export class TailBuffer {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(line: string): void {
    this.lines.push(line);
    this.size += line.length + 1;
    while (this.size > this.limit && this.lines.length > 1) {
      this.size -= (this.lines.shift() ?? '').length + 1;
    }
  }

  text(): string {
    const joined = this.lines.join('\n');
    return joined.length > this.limit ? joined.slice(joined.length - this.limit) : joined;
  }
}
