// The fault-injection suite: the scripted model server fails in each way a real API does. Every case must end in
// the right state — recovered, or failed with a precise reason — with no orphan process and nothing lost.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ScriptTurnInput } from '../../src/testkit/index.ts';
import { canMount } from '../helpers/mount.ts';
import { agentProcesses } from '../helpers/portfolio.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { claudeBinary, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const writeGood = { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } };
// Fast retries for the suite: the real default waits 10 s, 60 s, 360 s.
const config = JSON.stringify({
  agent: 'claude',
  agents: { claude: { binary: claudeBinary, maxRetries: 0 } },
  retries: { delaysSeconds: [0.2, 0.4], cooldownSeconds: 1, stuck: 1 },
});

interface Report {
  run: { status: string };
  attempts: { status: string; reason: string; detail: string | null; id: string }[];
  merges: { status: string }[];
}
interface Event {
  type: string;
  data: Record<string, unknown>;
}


let cases = 0;
afterAll(() => console.log(`fault-injection suite: ${cases} cases`));

interface FaultCase {
  name: string;
  turns: ScriptTurnInput[];
  expect: { status: string; reason: string; retries?: number };
  idleTimeout?: string;
}

const faults: FaultCase[] = [
  { name: '429 with retry-after, then recovers', turns: [{ error: { status: 429, retryAfter: 1 }, times: 1 }, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed', retries: 1 } },
  { name: '529 overloaded, then recovers', turns: [{ error: { status: 529 }, times: 1 }, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed', retries: 1 } },
  { name: '500 twice, then recovers', turns: [{ error: { status: 500 }, times: 2 }, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed', retries: 2 } },
  { name: '500 for ever: fails transient after the retry schedule', turns: [{ error: { status: 500 } }], expect: { status: 'failed', reason: 'transient', retries: 2 } },
  { name: 'a stream cut mid-message, then recovers', turns: [{ cut: true, times: 1 }, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed' } },
  { name: 'malformed SSE, then recovers', turns: [{ malformed: true, times: 1 }, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed' } },
  // The retry resumes the Claude session, which then holds a synthetic assistant message: the write comes twice.
  // An idle limit that a loaded machine's Claude Code start-up (no output yet) cannot reach by accident.
  { name: 'a hang: stuck, killed, tried again, recovers', turns: [{ hang: true, times: 1 }, writeGood, writeGood, { text: 'done' }], expect: { status: 'succeeded', reason: 'completed', retries: 1 }, idleTimeout: String(guard(5)) },
  { name: 'a hang for ever: fails stuck', turns: [{ hang: true }], expect: { status: 'failed', reason: 'stuck', retries: 1 }, idleTimeout: '2' },
  { name: '401: fails auth at once, no retry', turns: [{ error: { status: 401 } }], expect: { status: 'failed', reason: 'auth', retries: 0 } },
];

describe('fault injection (Claude Code against the scripted server)', () => {
  for (const fault of faults) {
    it(fault.name, async () => {
      cases++;
      const server = await serve({ script: fault.turns });
      const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': config } });
      await repo.git(['switch', '--quiet', '-c', 'other']);
      const home = await temp.dir();
      const result = await runOrch(['run', 'fix add', '--target', 'main', '--test-cmd', 'node --test', '--idle-timeout', fault.idleTimeout ?? '30', '--json'], {
        cwd: repo.root,
        home,
        env: { ...claudeEnv(server, join(home, 'claude')), ORCH_FAULT_MARKER: home },
        timeoutMs: 120_000,
      });
      const report = JSON.parse(result.stdout) as Report;
      const attempt = report.attempts[0];
      expect({ status: attempt?.status, reason: attempt?.reason }, attempt?.detail ?? result.stderr).toEqual({ status: fault.expect.status === 'succeeded' ? 'succeeded' : 'failed', reason: fault.expect.reason });
      expect(report.run.status).toBe(fault.expect.status);
      if (fault.expect.status === 'succeeded') expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
      const events = JSON.parse((await runOrch(['events', attempt?.id ?? '', '--json'], { cwd: repo.root, home })).stdout) as Event[];
      if (fault.expect.retries !== undefined) expect(events.filter((e) => e.type === 'attempt.retry')).toHaveLength(fault.expect.retries);
      expect(agentProcesses(home)).toEqual([]);
      expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
    });
  }
});

describe('credential rotation', () => {
  it('with two keys where the first is rate-limited, a best-of-4 completes and the events show the rotation', async () => {
    cases++;
    const server = await serve({
      scripts: [
        { name: 'limited', match: { apiKey: 'key-one' }, turns: [{ error: { status: 429, retryAfter: 60, message: 'rate limited' } }] },
        { name: 'fine', match: { apiKey: 'key-two' }, turns: [writeGood, { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': config } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const credentials = join(home, 'credentials.json');
    writeFileSync(credentials, JSON.stringify({ claude: { mode: 'keys-only', credentials: [{ name: 'first', env: { ANTHROPIC_API_KEY: 'key-one' } }, { name: 'second', env: { ANTHROPIC_API_KEY: 'key-two' } }] } }));
    chmodSync(credentials, 0o600);
    const env = { ...claudeEnv(server, join(home, 'claude')), ANTHROPIC_API_KEY: '' };
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=4', '--target', 'main', '--test-cmd', 'node --test', '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report & { run: { id: string } };
    expect(report.attempts.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as Event[];
    expect(events.some((e) => e.type === 'credential.cooldown' && e.data['credential'] === 'first')).toBe(true);
    const used = events.filter((e) => e.type === 'attempt.credential').map((e) => e.data['credential']);
    expect(used).toContain('first');
    expect(used.filter((name) => name === 'second').length).toBeGreaterThanOrEqual(4);
    // No secret in the event log or the audit trail.
    expect(JSON.stringify(events)).not.toContain('key-one');
    expect(readFileSync(join(home, 'logs', 'orch.log'), 'utf8')).not.toContain('key-two');
  });
});

const mountable = canMount();

/** Fill the file system of `path` until `leaveBytes` are free. */
function fillDisk(path: string, leaveBytes: number): void {
  const fd = openSync(path, 'w');
  try {
    const { bavail, bsize } = statfsSync(dirname(path));
    let left = bavail * bsize - leaveBytes;
    const chunk = Buffer.alloc(4096);
    while (left > 0) left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mountable)(`a disk that fills (ORCH_HOME on a 3 MiB tmpfs${mountable ? '' : ': SKIPPED, mount is not allowed here'})`, () => {
  function smallDisk(): Promise<string> {
    // Its own directory, not a temp dir of the suite's: those are removed while the mount would still be there.
    const mnt = mkdtempSync(join(tmpdir(), 'orch-small-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    onTestFinished(() => {
      execFileSync('umount', ['--lazy', mnt]);
      rmSync(mnt, { recursive: true, force: true });
    });
    return Promise.resolve(mnt);
  }

  it('during a run: says the disk is full (exit 2), the run stays resumable, and resumes once there is room (was an uncaught SqliteError from the lease timer, exit 1, the run left running)', async () => {
    cases++;
    const mnt = await smallDisk();
    const home = join(mnt, 'home');
    const dir = await temp.dir();
    const [started, goAhead] = [join(dir, 'started'), join(dir, 'go-ahead')];
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' }, startedFile: started, waitForFile: goAhead }) } });
    const running = runOrch(['run', 'add x.txt', '--no-tui'], { cwd: repo.root, home });
    await waitFor(() => existsSync(started), { what: 'the agent at work' });
    // The disk fills while the agent works: its end, the commit of its work and orch's records no longer fit.
    fillDisk(join(mnt, 'filler'), 0);
    writeFileSync(goAhead, '');
    const result = await running;
    expect(result.stderr).toMatch(/orch: The disk holding .*orch-small-disk-\w+\/home.* is full: .*\((SQLITE_FULL|SQLITE_IOERR\w*|ENOSPC)\)\./);
    expect(result.stderr).toMatch(/Free some space/);
    expect(result.stderr).not.toMatch(/unexpected error|SqliteError|^\s+at /m);
    expect(result.exitCode, result.stderr).toBe(2);

    rmSync(join(mnt, 'filler'));
    const runs = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    const run = (JSON.parse(runs.stdout) as { id: string; status: string }[])[0];
    expect(run?.status).toBe('interrupted');
    const resumed = await runOrch(['resume', run?.id ?? '', '--json'], { cwd: repo.root, home });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(await repo.git(['show', 'main:x.txt'])).toBe('x');
    expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  });

  for (const leave of [200 * 1024, 60 * 1024, 16 * 1024]) {
    it(`nearly full at the start (${leave / 1024} KiB free): says the disk is full (exit 2), leaves no worktree and no run marked running (was "unexpected error", exit 70, a worktree left)`, async () => {
      cases++;
      const mnt = await smallDisk();
      const home = join(mnt, 'home');
      const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' } }) } });
      const first = await runOrch(['runs'], { cwd: repo.root, home });
      expect(first.exitCode, first.stderr).toBe(0);
      fillDisk(join(mnt, 'filler'), leave);
      const result = await runOrch(['run', 'add x.txt', '--no-tui'], { cwd: repo.root, home });
      // With some room left the run may also end on its own; what may not happen is anything unexplained.
      expect(result.stderr).not.toMatch(/unexpected error|SqliteError|^\s+at /m);
      if (result.exitCode !== 0) {
        expect(result.stderr).toMatch(/The disk holding .* is full/);
        expect(result.exitCode, result.stderr).toBe(2);
      }
      rmSync(join(mnt, 'filler'));
      const runs = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { status: string }[];
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      const worktrees = (await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '));
      // Only worktrees an interrupted run keeps for its resume, none otherwise.
      expect(worktrees.length - 1).toBeLessThanOrEqual(runs.filter((r) => r.status === 'interrupted').length);
    });
  }
});
