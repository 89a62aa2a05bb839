import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { isAlive, liveGroupCount } from './registry.ts';
import { run } from './run.ts';
import { setSpawnPlacement } from './spawner.ts';
import { supervise } from './supervise.ts';

const cwd = process.cwd();

/** The pids a shell script printed (one per line, `pid=<n>`). */
function pidsIn(lines: string[]): number[] {
  return lines.filter((l) => l.startsWith('pid=')).map((l) => Number(l.slice(4)));
}

// Every case twice: children started on this thread, and on the spawner thread (what a busy orch uses).
describe.each([
  { where: 'main', label: "orch's own thread" },
  { where: 'thread', label: 'the spawner thread' },
] as const)('supervise, children started on $label', ({ where }) => {
  beforeAll(() => setSpawnPlacement(where));
  afterAll(() => setSpawnPlacement('auto'));

  it('reports a program that cannot be started, and a missing working directory, as spawn errors', async () => {
    const missing = await supervise({ argv: ['/nonexistent/program'], cwd });
    expect(missing.spawnError?.code).toBe('ENOENT');
    expect(missing.pid).toBeUndefined();
    const nowhere = await supervise({ argv: ['/bin/true'], cwd: '/nonexistent/dir' });
    expect(nowhere.spawnError?.code).toBe('ENOENT');
  });

  it('keeps lines in order, CRLF and a last line without a newline included, across many lines', async () => {
    const lines: string[] = [];
    const result = await supervise({
      argv: ['/bin/sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done; printf "crlf\\r\\nlast"'],
      cwd,
      onLine: (_stream, line) => lines.push(line),
    });
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual([...Array.from({ length: 2000 }, (_, i) => `line ${i}`), 'crlf', 'last']);
  });

  it('streams lines and reports the exit code', async () => {
    const lines: string[] = [];
    const result = await supervise({
      argv: ['/bin/sh', '-c', 'echo one; echo two >&2; printf three; exit 3'],
      cwd,
      onLine: (stream, line) => lines.push(`${stream}:${line}`),
    });
    expect(result.exitCode).toBe(3);
    expect(lines).toEqual(expect.arrayContaining(['stdout:one', 'stderr:two', 'stdout:three']));
    expect(result.timedOut || result.idledOut || result.canceled).toBe(false);
  });

  it('passes stdin and never treats arguments as shell text', async () => {
    const hostile = '$(touch /tmp/orch-pwned); `id`; rm -rf ~';
    const result = await run(['/bin/echo', hostile], { cwd, stdin: 'ignored' });
    expect(result.stdout).toBe(hostile);
    const echoed = await run(['/bin/cat'], { cwd, stdin: 'from stdin\n' });
    expect(echoed.stdout).toBe('from stdin');
  });

  it('stops a silent process at the idle timeout and kills its whole group', async () => {
    const lines: string[] = [];
    // The child forks a grandchild that would outlive a kill of the direct child alone.
    const result = await supervise({
      argv: ['/bin/sh', '-c', 'sleep 60 & echo pid=$!; echo pid=$$; wait'],
      cwd,
      idleTimeoutMs: 300,
      killGraceMs: 200,
      onLine: (_stream, line) => lines.push(line),
    });
    expect(result.idledOut).toBe(true);
    const pids = pidsIn(lines);
    expect(pids).toHaveLength(2);
    await waitFor(() => pids.every((pid) => !isAlive(pid)), { what: 'the child and the grandchild to be gone' });
    expect(liveGroupCount()).toBe(0);
  });

  it('escalates to SIGKILL when SIGTERM is ignored, at the total timeout', async () => {
    // The script never ends by itself: only the escalation can end it (else the test times out).
    const result = await supervise({
      argv: ['/bin/sh', '-c', "trap '' TERM; while true; do echo tick; sleep 0.05; done"],
      cwd,
      totalTimeoutMs: 300,
      killGraceMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  it('stops on abort and says it was canceled', async () => {
    const controller = new AbortController();
    // Abort once the program is surely running (it said so), as a person's Ctrl+C would come.
    const result = await supervise({
      argv: ['/bin/sh', '-c', 'echo ready; exec sleep 30'],
      cwd,
      signal: controller.signal,
      killGraceMs: 100,
      onLine: (_stream, line) => line === 'ready' && controller.abort(),
    });
    expect(result.canceled).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it('reports a program that does not exist as a spawn error, not a throw', async () => {
    const result = await supervise({ argv: ['orch-no-such-program-xyz'], cwd });
    expect(result.spawnError?.code).toBe('ENOENT');
    expect(result.exitCode).toBeNull();
  });
});

describe('supervise and process trees', () => {
  it('on stop also kills a tool the child started in a process group of its own', async () => {
    const lines: string[] = [];
    // `setsid` puts the grandchild in a new session and group, as Gemini CLI and OpenCode do with shell tools.
    const result = await supervise({
      argv: ['/bin/sh', '-c', 'setsid sleep 60 & echo pid=$!; wait'],
      cwd,
      idleTimeoutMs: 300,
      killGraceMs: 200,
      onLine: (_stream, line) => lines.push(line),
    });
    expect(result.idledOut).toBe(true);
    const [grandchild] = pidsIn(lines);
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(() => !isAlive(grandchild ?? 0), { what: `the grandchild ${grandchild} in its own group to be gone` });
  });
});

describe('supervise decides the stop cause once', () => {
  it('keeps the first cause: an abort during the kill grace of an idle process does not make it a cancel', async () => {
    const controller = new AbortController();
    const result = await supervise({
      // Survives SIGTERM long enough to be aborted while it is being stopped for idling.
      argv: ['/bin/sh', '-c', "trap 'echo got-term' TERM; while true; do sleep 0.05; done"],
      cwd,
      idleTimeoutMs: 200,
      killGraceMs: 500,
      signal: controller.signal,
      onLine: (_stream, line) => {
        if (line === 'got-term') controller.abort();
      },
    });
    expect(controller.signal.aborted).toBe(true);
    expect(result.stoppedBy).toBe('idle');
    expect({ idledOut: result.idledOut, canceled: result.canceled, timedOut: result.timedOut }).toEqual({ idledOut: true, canceled: false, timedOut: false });
    expect(result.signal).toBe('SIGKILL');
  });
});
