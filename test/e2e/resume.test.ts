// Crash and resume: orch killed (SIGKILL, SIGTERM, SIGINT) in the middle of a best-of-3 resumes to the same
// outcome; no finished attempt runs again; no orphan process or worktree is left.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/process/registry.ts';
import { supervise } from '../../src/process/supervise.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers, type Report } from '../helpers/claude-run.ts';
import { storedAttempts } from '../helpers/orch-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const write = (content: string) => ({ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content } });

/** Live (non-zombie) processes of a process group, from /proc. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] !== 'Z' && Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
  describe(`orch stopped by ${signal} in the middle of a best-of-3`, () => {
    it('resumes to the same outcome without running a finished attempt again', async () => {
      // Scripts go to attempts in arrival order (one agent at a time). The second attempt's model hangs once.
      const server = await serve({
        scripts: [
          { name: 'first', turns: [write(goodMath), { text: 'done' }] },
          // A resumed interrupted session may hold a synthetic assistant message, so the write comes twice.
          { name: 'second', turns: [{ hang: true, times: 1 }, write(goodMath), write(goodMath), { text: 'done after resume' }] },
          { name: 'third', turns: [write(`${goodMath}// third\n`), { text: 'done' }] },
        ],
      });
      const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
      await repo.git(['switch', '--quiet', '-c', 'other']);
      const home = await temp.dir();
      const env = { ...process.env, ORCH_HOME: home, ...claudeEnv(server, join(home, 'claude')) };

      let orchPid = 0;
      let runId = '';
      const agentPids: number[] = [];
      let notAtWork: unknown;
      const first = await supervise({
        argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-agents', '1', '--target', 'main', '--test-cmd', 'node --test'],
        cwd: repo.root,
        env,
        totalTimeoutMs: guard(60_000),
        onSpawn: (pid) => (orchPid = pid),
        onLine: (_stream, line) => {
          runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? '';
          const agent = /agent running \(pid (\d+)\)/.exec(line);
          if (agent) agentPids.push(Number(agent[1]));
          // Once the second agent waits on its hanging model and orch has stored its session: stop orch.
          if (agent && agentPids.length === 2) {
            const atWork = () =>
              server.requestLog.some((r) => r.script === 'second' && r.answer === 'hang') && storedAttempts(home, runId).some((a) => a.stepKey === 'attempt/1' && a.sessionId !== null);
            void waitFor(atWork, { what: 'the second agent to wait on the model', timeoutMs: 45_000 })
              .then(() => undefined, (error: unknown) => (notAtWork = error))
              .then(() => process.kill(orchPid, signal));
          }
        },
      });
      expect(notAtWork).toBeUndefined();
      expect(runId).not.toBe('');
      expect(first.exitCode === 130 || first.signal === 'SIGKILL').toBe(true);
      const firstConversation = server.requestLog.find((r) => r.script === 'first')?.conversation;
      const requestsOfFirst = () => server.requestLog.filter((r) => r.conversation === firstConversation).length;
      expect(requestsOfFirst()).toBe(2);

      const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'claude')), timeoutMs: 300_000 });
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      const report = JSON.parse(resumed.stdout) as Report;
      expect(report.run.status).toBe('succeeded');
      expect(report.merges[0]?.status).toBe('merged');
      // The finished attempt did not run again: its conversation still has exactly its 2 requests.
      expect(requestsOfFirst()).toBe(2);
      expect(report.attempts.filter((a) => a.stepKey === 'attempt/0')).toHaveLength(1);
      // The interrupted attempt went on in its own Claude session.
      const second = report.attempts.filter((a) => a.stepKey === 'attempt/1');
      expect(second).toHaveLength(1);
      expect(second[0]?.status, JSON.stringify(second[0]) + JSON.stringify(server.requestLog.map((r) => [r.script, r.turn, r.answer]))).toBe('succeeded');
      // Nothing is left behind: no agent process, no worktree.
      for (const pid of agentPids) {
        expect(isAlive(pid)).toBe(false);
        expect(groupMembers(pid)).toEqual([]);
      }
      expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
    });
  });
}

describe('Ctrl+C and resume', () => {
  it("keeps every turn on the books: the run's cost and turns are the sum over every turn the model served", async () => {
    // Three turns, then the model hangs once (Ctrl+C comes there), then two more after the resume. Every turn costs
    // the same: 10k input + 100 output tokens at claude-opus-5-5's $4 / $20 per million.
    const usage = { input_tokens: 10_000, output_tokens: 100 };
    const turnUsd = 0.042;
    const step = (i: number) => ({ ...write(`${goodMath}// step ${i}\n`), usage });
    const server = await serve({ script: [step(1), step(2), step(3), { hang: true, times: 1 }, step(4), { text: 'done', usage }] });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = { ...process.env, ORCH_HOME: home, ...claudeEnv(server, join(home, 'claude')) };

    let orchPid = 0;
    let runId = '';
    let notAtWork: unknown;
    const first = await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'fix add', '--target', 'main', '--test-cmd', 'node --test'],
      cwd: repo.root,
      env,
      totalTimeoutMs: 60_000,
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        const started = /run (run_[0-9a-z]+) started/.exec(line)?.[1];
        if (started === undefined || runId !== '') return;
        runId = started;
        void waitFor(() => server.requestLog.some((r) => r.answer === 'hang'), { what: 'the model to hang after three turns', timeoutMs: 45_000 })
          .then(() => undefined, (error: unknown) => (notAtWork = error))
          .then(() => process.kill(orchPid, 'SIGINT'));
      },
    });
    expect(notAtWork).toBeUndefined();
    expect(first.exitCode).toBe(130);
    const servedBefore = server.requestLog.filter((r) => r.answer === 'message').length;
    expect(servedBefore).toBe(3);

    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'claude')), timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    const served = server.requestLog.filter((r) => r.answer === 'message').length;
    expect(served).toBeGreaterThan(servedBefore);
    const log = JSON.stringify({ requests: server.requestLog.map((r) => [r.turn, r.answer]), attempts: report.attempts });
    expect(report.attempts.reduce((sum, a) => sum + a.turns, 0), log).toBe(served);
    expect(report.run.costUsd, log).toBeCloseTo(served * turnUsd, 9);
  });
});
