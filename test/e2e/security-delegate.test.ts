// The delegate tool through the real Claude Code CLI and orch's MCP server: an agent may name a goal and a built-in
// strategy, nothing that runs code of its choosing, and each child run spends from the parent's budget.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

describe('the delegate tool', () => {
  it('refuses a strategy module and a check command, and gives the child what the parent budget has left', async () => {
    const server = await serve({
      scripts: [
        { name: 'child', match: { prompt: 'CHILD-GOAL' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/child.txt', content: 'child\n' } }, { text: 'child done' }] },
        {
          name: 'parent',
          match: { prompt: 'PARENT-GOAL' },
          turns: [
            { tool: 'mcp__orch__delegate', input: { goal: 'CHILD-GOAL: evil strategy', strategy: './evil-strategy.mjs' } },
            { tool: 'mcp__orch__delegate', input: { goal: 'CHILD-GOAL: evil check', testCmd: 'touch PWNED' } },
            { tool: 'mcp__orch__delegate', input: { goal: 'CHILD-GOAL: write child.txt' } },
            { tool: 'Write', input: { file_path: '{{cwd}}/parent.txt', content: 'parent\n' } },
            { text: 'parent done' },
          ],
        },
      ],
    });
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    const result = await runOrch(['run', 'PARENT-GOAL', '--delegate', '--max-run-cost', '0.5', '--target', 'main', '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const parent = JSON.parse(result.stdout) as { run: { id: string } };

    const requests = JSON.stringify(server.requestLog.filter((r) => r.script === 'parent').map((r) => r.body));
    expect(requests).toContain("delegate's strategy must be one of: single, best-of-n, iterative, tournament");
    expect(requests).toContain("delegate takes only a goal and a strategy, not testCmd; the child run uses the project's own checks.");
    expect(requests).toContain(`git merge orch/${parent.run.id}/delegate/1`);

    const db = new Database(join(home, 'orch.db'), { readonly: true });
    try {
      const children = db.prepare('SELECT target, settings_json FROM runs WHERE parent_run_id = ?').all(parent.run.id) as { target: string; settings_json: string }[];
      expect(children.map((c) => c.target)).toEqual([`orch/${parent.run.id}/delegate/1`]);
      const settings = JSON.parse(children[0]?.settings_json ?? '{}') as { budget: { runUsd?: number }; checks: { test?: unknown } };
      expect(settings.budget.runUsd).toBeGreaterThan(0);
      expect(settings.budget.runUsd).toBeLessThanOrEqual(0.5);
      expect(settings.checks.test).toBeUndefined();
    } finally {
      db.close();
    }
    expect(existsSync(join(repo.root, 'PWNED'))).toBe(false);
  });
});
