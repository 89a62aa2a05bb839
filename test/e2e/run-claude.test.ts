// orch run with the REAL Claude Code CLI against the scripted model server on 127.0.0.1.
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/process/registry.ts';
import { supervise } from '../../src/process/supervise.ts';
import { startScriptedAnthropicServer, type ScriptTurnInput, type ScriptedAnthropicServer } from '../../src/testkit/index.ts';
import { snapshotTree, useTempRepos, type TreeSnapshot } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const claudeBinary = join(repoRoot, 'node_modules', '.bin', 'claude');
const servers: ScriptedAnthropicServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(script: ScriptTurnInput[]): Promise<ScriptedAnthropicServer> {
  const server = await startScriptedAnthropicServer({ script });
  servers.push(server);
  return server;
}

function claudeEnv(server: ScriptedAnthropicServer, configDir: string): Record<string, string> {
  return { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CONFIG_DIR: configDir, ANTHROPIC_AUTH_TOKEN: '' };
}

const config = (extra: Record<string, unknown> = {}) => JSON.stringify({ agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0 } }, ...extra });

function withoutAudit(snapshot: TreeSnapshot): TreeSnapshot {
  return { ...snapshot, files: Object.fromEntries(Object.entries(snapshot.files).filter(([path]) => !path.startsWith('.orch/'))) };
}

interface Report {
  run: { id: string; status: string };
  attempts: { id: string; branch: string; status: string; reason: string; turns: number; costUsd: number; sessionId: string; diff: { filesChanged: number } }[];
  merges: { status: string }[];
}

describe('orch run with Claude Code', () => {
  it('writes in the worktree, commits on the orch branch, checks, merges, and leaves the user tree byte-identical', async () => {
    const server = await serve([
      { tool: 'Write', input: { file_path: '{{cwd}}/src/greet.js', content: 'export const greet = (name) => `hello, ${name}`;\n' } },
      { text: 'Added greet.' },
    ]);
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': config() } });
    await repo.git(['switch', '--quiet', '-c', 'feature']);
    await repo.write('README.md', 'uncommitted edit\n');
    await repo.write('scratch.txt', 'untracked\n');
    const before = await snapshotTree(repo.root);
    const home = await temp.dir();

    const result = await runOrch(['run', 'add a greet function', '--target', 'main', '--test-cmd', 'grep -q hello src/greet.js', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const attempt = report.attempts[0];
    expect(attempt).toMatchObject({ status: 'succeeded', reason: 'completed', turns: 2 });
    expect(attempt?.costUsd).toBeGreaterThan(0);
    expect(attempt?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repo.git(['show', `${attempt?.branch ?? ''}:src/greet.js`])).toContain('hello');
    expect(await repo.git(['show', 'main:src/greet.js'])).toContain('hello');
    expect(report.merges[0]?.status).toBe('merged');
    expect(withoutAudit(await snapshotTree(repo.root))).toEqual(withoutAudit(before));
    expect(server.requests).toBe(2);
  });

  it('stops an agent whose model never answers at the idle timeout, with its whole process group', async () => {
    const server = await serve([{ hang: true }]);
    const repo = await temp.repo({ files: { 'orch.config.json': config() } });
    const home = await temp.dir();
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const result = await runOrch(['run', 'anything', '--target', 'main', '--idle-timeout', '3', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts[0]).toMatchObject({ status: 'failed', reason: 'stuck' });
    const pid = Number(/agent running \(pid (\d+)\)/.exec(result.stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
  });

  it('on SIGINT stops every agent process and marks the run interrupted', async () => {
    const server = await serve([{ hang: true }]);
    const repo = await temp.repo({ files: { 'orch.config.json': config() } });
    const home = await temp.dir();
    await repo.git(['switch', '--quiet', '-c', 'other']);
    await writeFile(join(home, '.keep'), '');

    let orchPid = 0;
    let agentPid = 0;
    const result = await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'anything', '--target', 'main'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home, ...claudeEnv(server, join(home, 'claude')) },
      totalTimeoutMs: guard(60_000),
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        const match = /agent running \(pid (\d+)\)/.exec(line);
        if (match) {
          agentPid = Number(match[1]);
          // Once the agent waits on the (hanging) model, interrupt orch only, as a terminal's Ctrl+C would.
          void waitFor(() => server.requestLog.some((r) => r.answer === 'hang'), { what: 'the agent to reach the model', timeoutMs: 45_000 })
            .catch(() => undefined)
            .then(() => process.kill(orchPid, 'SIGINT'));
        }
      },
    });
    expect(agentPid).toBeGreaterThan(0);
    expect(result.exitCode).toBe(130);
    // orch ended by itself (130), not at the supervisor's limit: it did not wait for the hanging agent.
    expect(isAlive(agentPid)).toBe(false);
    expect(groupMembers(agentPid)).toEqual([]);
    const runs = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { status: string }[];
    expect(runs[0]?.status).toBe('interrupted');
  });
});

/** Live (non-zombie) processes in a process group, from /proc. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}
