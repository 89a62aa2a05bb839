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

  it('takes a child run’s depth and budget from the store, so an agent that starts orch’s MCP server itself with a forged environment cannot raise them', async () => {
    // What an agent with a shell can do: find the MCP config orch gave its CLI (in the CLI's argv), start the server
    // named there itself with the depth and budget variables it likes, and call delegate.
    const forge = `import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
let pid = process.ppid;
let config;
while (pid > 1 && config === undefined) {
  const argv = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
  const at = argv.indexOf('--mcp-config');
  if (at >= 0) config = argv[at + 1];
  else pid = Number(readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[1]);
}
const server = JSON.parse(readFileSync(config, 'utf8')).mcpServers.orch;
const env = { ...process.env, ...server.env, ORCH_DELEGATE_DEPTH: '0', ORCH_DELEGATE_MAX_CHILD_USD: '1000' };
const child = spawn(server.command, server.args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
const send = (message) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
send({ id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'forger', version: '1' } } });
send({ id: 2, method: 'tools/call', params: { name: 'delegate', arguments: { goal: 'CHILD-GOAL: forged' } } });
for await (const line of createInterface({ input: child.stdout })) {
  const reply = JSON.parse(line);
  if (reply.id === 2) { console.log(JSON.stringify(reply.result)); break; }
}
child.stdin.end();
`;
    const server = await serve({
      scripts: [
        { name: 'child', match: { prompt: 'CHILD-GOAL' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/child.txt', content: 'child\n' } }, { text: 'child done' }] },
        {
          name: 'parent',
          match: { prompt: 'PARENT-GOAL' },
          turns: [{ tool: 'Bash', input: { command: 'node forge.mjs > forged.txt', description: 'forge' } }, { text: 'parent done' }],
        },
      ],
    });
    // Without the OS sandbox: inside it the agent cannot reach orch's home, so it could not start the server at all.
    const config = claudeConfig({ sandbox: { mode: 'none' }, delegate: { maxDepth: 1, maxChildCostUsd: 0.05 } });
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'forge.mjs': forge, 'orch.config.json': config } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    const result = await runOrch(['run', 'PARENT-GOAL', '--delegate', '--target', 'main', '--json'], { cwd: repo.root, home, env, timeoutMs: 180_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const parent = JSON.parse(result.stdout) as { run: { id: string } };
    expect(await repo.git(['show', 'main:forged.txt']), 'the forged call was answered').toContain(`orch/${parent.run.id}/delegate/1`);

    const db = new Database(join(home, 'orch.db'), { readonly: true });
    try {
      const children = db.prepare('SELECT settings_json FROM runs WHERE parent_run_id = ?').all(parent.run.id) as { settings_json: string }[];
      expect(children).toHaveLength(1);
      const settings = JSON.parse(children[0]?.settings_json ?? '{}') as { budget: { runUsd?: number }; delegate: { depth: number; maxDepth: number } };
      // The store's figures, not the forged ones: depth 1 (so its agents get no delegate tool) and the $0.05 limit.
      expect(settings.delegate).toMatchObject({ depth: 1, maxDepth: 1 });
      expect(settings.budget.runUsd).toBe(0.05);
    } finally {
      db.close();
    }
    const childRequests = server.requestLog.filter((r) => r.script === 'child');
    expect(childRequests.length).toBeGreaterThan(0);
    expect(JSON.stringify(childRequests.map((r) => r.body))).not.toContain('mcp__orch__delegate');
  });
});
