// A run seen in time, end to end: the real CLI, real git and SQLite, the fake command agent.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../src/domain/records.ts';
import type { RunTimeline } from '../../src/domain/timeline.ts';
import { shapesTimeline } from '../../src/report/timeline.ts';
import { isAlive } from '../../src/process/registry.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';
import { slack } from '../helpers/slack.ts';
import { claudeBinary, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

describe('orch show --timeline', () => {
  it('a best-of-4 under an agent limit of 2: the queue, the one slow check and the merge are in the timeline, and its numbers are the event log', async () => {
    const lockDir = join(await temp.dir(), 'slow-check-taken');
    // The first attempt tree to be checked takes the lock and is slow; the base (no done.txt) never is.
    const check = `import { existsSync, mkdirSync } from 'node:fs';\nif (existsSync('done.txt')) { try { mkdirSync(${JSON.stringify(lockDir)}); setTimeout(() => {}, 1500); } catch {} }\n`;
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'check.mjs': check, 'orch.config.json': fakeAgentConfig({ files: { 'done.txt': 'done\n' }, sleepMs: 300 }) } });
    const home = await temp.dir();
    const ran = await runOrch(['run', 'add done.txt', '--strategy', 'best-of-n', '-S', 'n=4', '--max-agents', '2', '--target', 'main', '--test-cmd', 'node check.mjs', '--json'], { cwd: repo.root, home });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const report = JSON.parse(ran.stdout) as { run: { id: string }; auditDir: string };

    const shown = await runOrch(['show', report.run.id, '--timeline', '--json'], { cwd: repo.root, home });
    expect(shown.exitCode, shown.stderr).toBe(0);
    const timeline = JSON.parse(shown.stdout) as RunTimeline;
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as OrchEvent[];
    const t0 = Date.parse(events[0]!.at);
    const at = (type: string, attemptId: string) => Date.parse(events.find((e) => e.type === type && e.attemptId === attemptId)!.at) - t0;

    const lanes = timeline.lanes.filter((l) => l.kind === 'attempt');
    expect(lanes).toHaveLength(4);
    // Two agents at once: at least two attempts waited in the queue, each until its slot event.
    const queued = lanes.filter((l) => l.phases[0]?.phase === 'queued');
    expect(queued.length).toBeGreaterThanOrEqual(2);
    for (const lane of queued) expect(lane.phases[0]!.endMs).toBe(at('attempt.slot', lane.id));
    // Every attempt's agent phase runs from its start event to its finish event.
    for (const lane of lanes) {
      const agent = lane.phases.filter((p) => p.phase === 'agent');
      expect(agent[0]!.startMs).toBe(at('attempt.started', lane.id));
      expect(agent.at(-1)!.endMs).toBe(at('attempt.finished', lane.id));
    }
    // One slow check: the slowest check is the one the event log recorded as slowest, in a lane whose checks phase holds it.
    const checkTimes = events.filter((e) => e.type === 'verdict.recorded').flatMap((e) => (e.data.checks as { durationMs: number }[]).map((c) => ({ attemptId: e.attemptId, ms: c.durationMs })));
    const slowest = checkTimes.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(slowest.ms).toBeGreaterThanOrEqual(1500);
    expect(timeline.analytics.slowestCheck).toMatchObject({ name: 'test', durationMs: slowest.ms, attemptId: slowest.attemptId, onMergedTree: false });
    const slowLane = lanes.find((l) => l.id === slowest.attemptId)!;
    const checks = slowLane.phases.find((p) => p.phase === 'checks')!;
    expect(checks.endMs - checks.startMs).toBeGreaterThanOrEqual(slowest.ms);
    // The winner's merge is in its lane.
    expect(lanes.some((l) => l.phases.some((p) => p.phase === 'merging' || p.phase === 'merge_checks'))).toBe(true);
    // Analytics add up from the lanes.
    const agentMs = lanes.flatMap((l) => l.phases).filter((p) => p.phase === 'agent').reduce((s, p) => s + p.endMs - p.startMs, 0);
    expect(timeline.analytics.phaseMs.agent).toBe(agentMs);
    expect(timeline.analytics.agentLimit).toBe(2);
    expect(timeline.analytics.wallMs).toBe(Date.parse(events.at(-1)!.at) - t0);
    expect(timeline.analytics.parallelEfficiency).toBeCloseTo(timeline.analytics.busyAgentMs / (timeline.analytics.wallMs * 2));

    // The text chart, and the audit trail's standalone picture.
    const text = await runOrch(['show', report.run.id, '--timeline'], { cwd: repo.root, home });
    expect(text.stdout).toContain('parallel efficiency');
    expect(text.stdout).toMatch(/slowest check\s+test/);
    const svg = readFileSync(join(report.auditDir, 'timeline.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('class="queued"');
    expect(svg).toContain('class="checks"');
    expect(svg).not.toMatch(/<script|href=/);
    expect(existsSync(join(report.auditDir, 'timeline.json'))).toBe(true);
  });
});

describe('orch show --timeline with Claude Code and one rate-limited key', () => {
  it('a best-of-4 where the key is rate-limited once: attempts wait on the credential, one check is slow, all in the timeline as the events say', async () => {
    // The first request anywhere is refused with 429 (retry after 1 s): the one key rests, so attempts wait for it.
    const server = await serve({ script: [{ error: { status: 429, retryAfter: 1 }, times: 1 }, { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'done' }] });
    const lockDir = join(await temp.dir(), 'slow-check-taken');
    const check = `import { existsSync, mkdirSync, readFileSync } from 'node:fs';\nif (readFileSync('src/math.js', 'utf8').includes('a + b')) { try { mkdirSync(${JSON.stringify(lockDir)}); setTimeout(() => {}, 1500); } catch {} }\n`;
    const config = JSON.stringify({ agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0 } }, retries: { delaysSeconds: [0.2, 0.4], cooldownSeconds: 1, stuck: 1 }, checks: { allowUnchecked: true },
      // The checks share one lock outside their worktrees (which one is slow), which the OS sandbox rightly hides.
      sandbox: { mode: 'none' } });
    const repo = await temp.repo({ files: { ...mathProject, 'check.mjs': check, 'orch.config.json': config } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    const ran = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=4', '--target', 'main', '--test-cmd', 'node check.mjs', '--json'], { cwd: repo.root, home, env });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const { run, auditDir } = JSON.parse(ran.stdout) as { run: { id: string }; auditDir: string };
    const runId = run.id;
    const timeline = JSON.parse((await runOrch(['show', runId, '--timeline', '--json'], { cwd: repo.root, home })).stdout) as RunTimeline;
    const events = JSON.parse((await runOrch(['events', runId, '--json'], { cwd: repo.root, home })).stdout) as OrchEvent[];
    const t0 = Date.parse(events[0]!.at);
    expect(events.some((e) => e.type === 'credential.cooldown')).toBe(true);
    // Each recorded wait on the credential is a credential_wait phase of its attempt, from that event on.
    const waits = events.filter((e) => e.type === 'attempt.credential_wait');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    for (const wait of waits) {
      // A wait whose key came back within the same millisecond (the reset passed while a loaded machine got to it)
      // lasts nothing and draws nothing; every other one lies in a credential_wait phase (a second wait right after
      // the first, when a timer woke a millisecond early, continues the same phase).
      const next = events.find((e) => e.seq > wait.seq && e.attemptId === wait.attemptId && shapesTimeline(e.type));
      if (next !== undefined && next.at === wait.at) continue;
      const lane = timeline.lanes.find((l) => l.id === wait.attemptId)!;
      const t = Date.parse(wait.at) - t0;
      expect(lane.phases.some((p) => p.phase === 'credential_wait' && p.startMs <= t && t < p.endMs), JSON.stringify({ wait, phases: lane.phases })).toBe(true);
    }
    expect(timeline.analytics.phaseMs.credential_wait).toBeGreaterThan(0);
    const slowest = events.filter((e) => e.type === 'verdict.recorded').flatMap((e) => (e.data.checks as { durationMs: number }[]).map((c) => c.durationMs));
    expect(timeline.analytics.slowestCheck?.durationMs).toBe(Math.max(...slowest));
    expect(timeline.analytics.slowestCheck?.durationMs).toBeGreaterThanOrEqual(1500);
    const svg = readFileSync(join(auditDir, 'timeline.svg'), 'utf8');
    expect(svg).toContain('class="credential_wait"');
    // The agents' memory and CPU, sampled while they ran: a Node CLI holds tens of MiB at least, never GiBs here,
    // and no tree uses more CPU than the machine's cores.
    const MiB = 1048576;
    const resources = timeline.analytics.resources!;
    expect(resources.samples).toBe(events.filter((e) => e.type === 'attempt.resources').length);
    expect(resources.peakRssBytes).toBeGreaterThan(20 * MiB);
    expect(resources.peakRssBytes).toBeLessThan(4096 * MiB);
    expect(resources.peakCpuPercent).toBeGreaterThan(0);
    expect(resources.peakCpuPercent).toBeLessThanOrEqual(100 * availableParallelism() + 1);
    expect(timeline.analytics.peakTotalRssBytes).toBeGreaterThanOrEqual(resources.peakRssBytes);
    for (const lane of timeline.lanes.filter((l) => l.resources !== null)) expect(lane.resources!.peakRssBytes).toBeGreaterThan(20 * MiB);
    const text = await runOrch(['show', runId, '--timeline'], { cwd: repo.root, home });
    expect(text.stdout).toMatch(/agent resources +memory peak \d+ MiB/);
    expect(readFileSync(join(auditDir, 'result.md'), 'utf8')).toMatch(/- agent resources: memory peak \d+ MiB/);
  });
});

describe('a run past its total time limit', () => {
  it('stops its agents (timed_out), ends interrupted and resumable, and leaves no process behind; the resume finishes it', async () => {
    const dir = await temp.dir();
    const started = join(dir, 'started');
    const goAhead = join(dir, 'go-ahead');
    // The agent works until the test says so: only the time limit can end the first run.
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'done.txt': 'done\n' }, startedFile: started, waitForFile: goAhead }, { limits: { maxRunMinutes: 5 } }) } });
    const home = await temp.dir();
    // The flag (3 s, stretched by the test slack: the resume must finish within it on a loaded machine) wins over
    // the config's 5 minutes.
    const minutes = String(0.05 * slack);
    const first = await runOrch(['run', 'add done.txt', '--max-run-minutes', minutes, '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(first.stderr).toMatch(new RegExp(`total time limit of ${minutes} minutes.*orch resume run_`, 's'));
    expect(first.exitCode).not.toBe(0);
    const runId = /orch resume (run_[0-9a-z]+)/.exec(first.stderr)![1]!;
    const shown = JSON.parse((await runOrch(['show', runId, '--json'], { cwd: repo.root, home })).stdout) as { run: { status: string; reason: string }; attempts: { status: string; reason: string; detail: string }[] };
    expect(shown.run.status).toBe('interrupted');
    expect(shown.run.reason).toMatch(/^timed_out/);
    expect(shown.attempts).toHaveLength(1);
    expect(shown.attempts[0]).toMatchObject({ status: 'interrupted', reason: 'timed_out' });
    // The agent was at work and is gone with its run.
    const agentPid = Number(readFileSync(started, 'utf8'));
    expect(isAlive(agentPid)).toBe(false);
    expect(await repo.git(['rev-parse', '--verify', '--quiet', 'main:done.txt']).catch(() => 'absent')).toBe('absent');

    // Resumable: with the go-ahead given, the resume (under the same limit, counted afresh) finishes the run.
    writeFileSync(goAhead, 'go\n');
    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { run: { status: string } }).run.status).toBe('succeeded');
    expect(await repo.git(['show', 'main:done.txt'])).toBe('done');
  });
});

describe('a run on its own run branch', () => {
  it('lands on a new run/<date-time> branch made from the target, moves no existing branch, and says how to merge it', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'done.txt': 'done\n' } }) } });
    await repo.git(['branch', 'feature']);
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const home = await temp.dir();
    const heads = () => repo.git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/']);
    const before = await heads();

    const ran = await runOrch(['run', 'add done.txt', '--run-branch', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const report = JSON.parse(ran.stdout) as { run: { id: string; target: string; baseRef: string }; merges: { status: string }[] };
    expect(report.run.target).toMatch(/^run\/\d{8}-\d{9}$/);
    expect(report.run.baseRef).toBe('main');
    expect(report.merges[0]?.status).toBe('merged');
    // Every branch that existed is where it was; the work is on the run branch, which starts from main.
    const after = await heads();
    expect(after.split('\n').filter((line) => !line.startsWith(`refs/heads/${report.run.target} `) && !line.startsWith('refs/heads/orch/'))).toEqual(before.split('\n'));
    expect(await repo.git(['show', `${report.run.target}:done.txt`])).toBe('done');
    expect(await repo.git(['merge-base', '--is-ancestor', 'main', report.run.target]).then(() => true)).toBe(true);
    const shown = await runOrch(['show', report.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain(`git switch main && git merge ${report.run.target}`);
  });
});
