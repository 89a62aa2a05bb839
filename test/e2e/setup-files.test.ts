// The project's untracked setup files (.env, .env.local; config worktree.copy) reach every attempt's worktree, in
// the OS sandbox too, and never the branch or the target: the REAL Claude Code CLI driven by the scripted model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScriptTurnInput } from '../../src/testkit/index.ts';
import { expectRefusedWithoutChange } from '../helpers/bad-input.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const slow = { timeout: 300_000 };

const bashThenDone = (command: string): ScriptTurnInput[] => [{ tool: 'Bash', input: { command } }, { text: 'Done.' }];

interface Report {
  run: { id: string; status: string };
  attempts: { branch: string; worktree: string; security: { secretFiles: string[] } | null }[];
  merges: { status: string; message: string }[];
}

/** A repository whose checkout holds untracked setup files, as a project with a local .env does. */
async function projectWithEnv(config: Record<string, unknown> = {}, env = 'GREETING=hello-from-env\n') {
  const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig(config) } });
  await repo.write('.env', env);
  await repo.write('.env.local', 'LOCAL_PORT=4321\n');
  return repo;
}

async function run(repoRoot: string, script: ScriptTurnInput[], extra: string[] = []) {
  const server = await serve({ script });
  const home = await temp.dir();
  const result = await runOrch(['run', 'use the environment', '--no-tui', '--json', ...extra], { cwd: repoRoot, home, env: claudeEnv(server, join(home, 'claude')), timeoutMs: 240_000 });
  if (result.stdout === "") throw new Error(result.stderr);
  return { result, report: JSON.parse(result.stdout) as Report };
}

describe('setup files in attempt worktrees', () => {
  it('.env and .env.local are there for the sandboxed agent and its checks, and never reach the branch or the target', slow, async () => {
    const repo = await projectWithEnv();
    const { result, report } = await run(repo.root, bashThenDone('cat .env .env.local > seen.txt'), ['--test-cmd', 'grep -q hello-from-env .env', '--sandbox', 'bwrap']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.run.status).toBe('succeeded');
    // The base's checks (in a tree of their own) saw .env too: the base is not judged red for lacking it.
    expect(result.stderr).toContain('checks pass before any change');
    // The agent read both files inside its sandbox; the check saw .env.
    expect(await repo.git(['show', 'main:seen.txt'])).toBe('GREETING=hello-from-env\nLOCAL_PORT=4321');
    // Neither file was committed on the attempt's branch nor merged.
    for (const ref of ['main', report.attempts[0]?.branch ?? '']) {
      expect(await repo.git(['ls-tree', '-r', '--name-only', ref])).not.toMatch(/^\.env/m);
    }
    // The user's own copies are as they were, still untracked.
    expect(readFileSync(join(repo.root, '.env'), 'utf8')).toBe('GREETING=hello-from-env\n');
    expect(await repo.git(['status', '--porcelain', '--ignored', '--', '.env'])).toBe('!! .env');
  });

  it('copies what worktree.copy names (a folder too) instead of the defaults', slow, async () => {
    const repo = await projectWithEnv({ worktree: { copy: ['config/local'] } });
    await repo.write('config/local/db.json', '{ "db": "local" }\n');
    const { result } = await run(repo.root, bashThenDone('{ cat config/local/db.json; ls -a; } > seen.txt'), ['--test-cmd', 'true', '--sandbox', 'none']);
    expect(result.exitCode, result.stderr).toBe(0);
    const seen = await repo.git(['show', 'main:seen.txt']);
    expect(seen).toContain('"db": "local"');
    expect(seen).not.toContain('.env');
    expect(await repo.git(['ls-tree', '-r', '--name-only', 'main'])).not.toContain('config/local');
  });

  it('never merges a setup file the agent forced into a commit, nor its values copied elsewhere', slow, async () => {
    const secret = 'sk-user-dotenv-value-0123456789';
    const repo = await projectWithEnv({}, `API_KEY=${secret}\n`);
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const { result, report } = await run(
      repo.root,
      bashThenDone('git add -f .env && git -c user.name=a -c user.email=a@b.c commit -qm env && grep API_KEY .env > config.txt'),
      ['--test-cmd', 'true', '--sandbox', 'none'],
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report.attempts[0]?.security?.secretFiles.sort()).toEqual(['.env', 'config.txt']);
    expect(report.merges[0]?.status).toBe('failed');
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
  });

  it('refuses a worktree.copy path outside the repository, and changes nothing', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig({ worktree: { copy: ['../secrets.env'] } }) } });
    const home = await temp.dir();
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /worktree\.copy\.0: the path must stay inside the repository/, root: repo.root, home });
  });
});
