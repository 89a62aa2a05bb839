// The README's "Using it on your repository", followed literally by a newcomer: `scripts/dev setup` put the agent
// CLIs in orch's own node_modules/.bin (on nobody's PATH), then `orch init` and `orch run` in their project.
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/process/which.ts';
import { claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

/** A newcomer's PATH: orch's bin/ (as the README exports it), node, the system's folders; no node_modules/.bin. */
const newcomerPath = [join(repoRoot, 'bin'), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);

describe("the README's path for a newcomer", () => {
  it('orch init then orch run finds the Claude Code that setup installed in orch\'s node_modules/.bin', async () => {
    // What makes the test mean something: claude is not on this PATH.
    expect(findExecutable('claude', '/', newcomerPath)).toBeUndefined();
    const server = await serve({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'Fixed add.' }] });
    const repo = await temp.repo({ files: mathProject });
    const home = await temp.dir();
    const env = { PATH: newcomerPath, ...claudeEnv(server, join(home, 'claude-config')) };

    const init = await runOrch(['init'], { cwd: repo.root, home, env });
    expect(init.exitCode, init.stderr).toBe(0);
    // The template names every agent orch drives.
    const template = await repo.read('orch.config.json');
    for (const agent of ['claude', 'codex', 'command', 'aider', 'gemini', 'opencode']) expect(template).toContain(`"${agent}"`);
    await repo.commit('orch config');

    const result = await runOrch(['run', 'fix the failing add test', '--test-cmd', 'node --test', '--no-tui', '--json'], { cwd: repo.root, home, env, timeoutMs: 240_000 });
    expect(result.stderr).not.toContain('was not found');
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { run: { status: string }; merges: { status: string }[] };
    expect(report.run.status).toBe('succeeded');
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
  }, 300_000);

  it('orch doctor names each agent program it found (orch\'s own copy too) and how to install the missing ones', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hi\n' } });
    const home = await temp.dir();
    const result = await runOrch(['doctor', '--json'], { cwd: repo.root, home, env: { PATH: newcomerPath } });
    expect(result.exitCode, result.stderr).toBe(0);
    const agents = (JSON.parse(result.stdout) as { agents: { agent: string; path: string | null; install: string }[] }).agents;
    expect(agents.find((a) => a.agent === 'claude')?.path).toBe(join(repoRoot, 'node_modules', '.bin', 'claude'));
    expect(agents.find((a) => a.agent === 'aider')).toMatchObject({ path: null, install: expect.stringContaining('pip install') as string });
    const text = await runOrch(['doctor'], { cwd: repo.root, home, env: { PATH: newcomerPath } });
    expect(text.stdout).toMatch(/aider: 'aider' not installed\. Install Aider \(python -m pip install/);
  });
});
