// Delegation from inside an agent: Claude Code calls orch's `delegate` tool (MCP over stdio); orch runs the
// sub-goal as a child run linked to the attempt, and the agent gets the result branch back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

describe('the delegate tool', () => {
  it("starts a child run that completes and is linked to its parent attempt", async () => {
    const server = await serve({
      scripts: [
        { name: 'child', match: { prompt: 'CHILD-GOAL' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/child.txt', content: 'from the child run\n' } }, { text: 'child done' }] },
        {
          name: 'parent',
          match: { prompt: 'PARENT-GOAL' },
          turns: [
            { tool: 'mcp__orch__delegate', input: { goal: 'CHILD-GOAL: write child.txt' } },
            { tool: 'Write', input: { file_path: '{{cwd}}/parent.txt', content: 'from the parent\n' } },
            { text: 'parent done' },
          ],
        },
      ],
    });
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    const result = await runOrch(['run', 'PARENT-GOAL', '--delegate', '--target', 'main', '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const parent = JSON.parse(result.stdout) as { run: { id: string }; attempts: { id: string }[] };

    const runs = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { id: string; status: string; parentRunId: string | null; parentAttemptId: string | null; target: string }[];
    const child = runs.find((r) => r.parentRunId === parent.run.id);
    expect(child).toMatchObject({ status: 'succeeded', parentAttemptId: parent.attempts[0]?.id, target: `orch/${parent.run.id}/delegate/1` });
    expect(await repo.git(['show', `${child?.target ?? ''}:child.txt`])).toBe('from the child run');
    // The agent got the result back through the tool.
    const toolResult = JSON.stringify(server.requestLog.filter((r) => r.script === 'parent').at(-1)?.body ?? {});
    expect(toolResult).toContain(`git merge orch/${parent.run.id}/delegate/1`);
    // The parent's own report names the child run.
    const shown = await runOrch(['show', parent.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain(child?.id ?? 'missing');
  });
});
