import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { buildCells, parseStrategyChoice } from './matrix.ts';
import { isRepoUrl, loadSuite, suitePath } from './suite.ts';

const temp = useTempRepos();

const task = { id: 'fix-a', repo: './repo.bundle', base: 'main', goal: 'fix a', hidden: { command: 'npm test', patch: 'hidden/a.patch' } };

async function suiteFile(text: string): Promise<string> {
  const path = join(await temp.dir(), 'suite.jsonc');
  await writeFile(path, text);
  return path;
}

describe('eval suites', () => {
  it('reads JSONC with comments and trailing commas; paths are relative to the suite', async () => {
    const path = await suiteFile(`// my tasks\n{ "name": "mine", "tasks": [${JSON.stringify(task)},], }\n`);
    const suite = loadSuite(path);
    expect(suite.tasks[0]?.hidden.timeoutSeconds).toBe(600);
    expect(suitePath(suite, 'hidden/a.patch')).toBe(join(suite.dir, 'hidden/a.patch'));
  });

  it('names every problem: a blank hidden command, a task id used twice, an unknown field', async () => {
    const bad = { ...task, hidden: { command: '   ' }, extra: 1 };
    const path = await suiteFile(JSON.stringify({ name: 'mine', tasks: [bad, task, task] }));
    const error = (() => {
      try {
        loadSuite(path);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('an empty command checks nothing');
    expect(message).toContain("the task id 'fix-a' is used twice");
    expect(message).toMatch(/extra/);
  });

  it('tells URLs from paths', () => {
    expect(['https://github.com/a/b.git', 'git@github.com:a/b.git', 'file:///srv/repo'].map(isRepoUrl)).toEqual([true, true, true]);
    expect(['../repo', '/abs/repo', './x.bundle'].map(isRepoUrl)).toEqual([false, false, false]);
  });

  it('expands the matrix into cells whose ids depend only on their coordinates', async () => {
    const path = await suiteFile(JSON.stringify({ name: 'mine', tasks: [task, { ...task, id: 'fix-b' }] }));
    const suite = loadSuite(path);
    const request = { agents: ['claude', 'codex'], models: [], strategies: ['single', 'best-of-n:n=3'].map(parseStrategyChoice), reps: 2 };
    const cells = buildCells(suite, request);
    expect(cells).toHaveLength(2 * 2 * 2 * 2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(16);
    expect(buildCells(suite, request).map((c) => c.id)).toEqual(cells.map((c) => c.id));
    expect(cells.find((c) => c.strategy.label === 'best-of-n:n=3')?.strategy).toEqual({ label: 'best-of-n:n=3', name: 'best-of-n', params: { n: 3 } });
    expect(buildCells(suite, { ...request, tasks: ['fix-b'] }).every((c) => c.task.id === 'fix-b')).toBe(true);
    expect(() => buildCells(suite, { ...request, tasks: ['nope'] })).toThrow('The suite has no task nope');
    // agent:model names its one model; a bare agent is crossed with --models.
    const mixed = buildCells(suite, { ...request, agents: ['claude:opus', 'codex'], models: ['m1', 'm2'], reps: 1, tasks: ['fix-a'], strategies: [parseStrategyChoice('single')] });
    expect(mixed.map((c) => `${c.agent}/${c.model ?? ''}`)).toEqual(['claude/opus', 'codex/m1', 'codex/m2']);
  });
});
