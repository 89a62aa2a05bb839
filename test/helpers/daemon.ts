// `orch start` as a test runs it: the real CLI in the background with its own ORCH_HOME, its log lines kept, and
// ways to stop it (SIGTERM as systemd does, SIGKILL as a crash does) and to wait for its end.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { repoRoot } from './orch-cli.ts';

export interface Daemon {
  readonly pid: number;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export function useDaemons(): (args: readonly string[], options: { home: string; env?: Record<string, string>; cwd?: string }) => Daemon {
  const started: Daemon[] = [];
  afterEach(async () => {
    for (const daemon of started.splice(0)) {
      daemon.kill('SIGKILL');
      await daemon.exited;
    }
  });
  return (args, options) => {
    const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin/orch.js'), 'start', ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ORCH_HOME: options.home, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        lines.push(...parts);
      });
    }
    let killedByTest = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => {
        // A daemon that dies on its own leaves the test waiting for cycles that never come: say why at once.
        if (!killedByTest) console.error(`orch start exited by itself (code ${String(code)}, signal ${String(signal)}):\n${lines.slice(-40).join('\n')}`);
        resolve({ code, signal });
      }),
    );
    const daemon: Daemon = {
      pid: child.pid ?? 0,
      lines,
      exited,
      kill: (signal) => {
        killedByTest = true;
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
    started.push(daemon);
    return daemon;
  };
}
