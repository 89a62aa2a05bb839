import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { loadPortfolio, parsePortfolio } from './config.ts';

// Seed 001's README, "Configuration", byte for byte.
const seedFile = `{
  "name": "personal",
  "data_dir": "./data",
  "log_level": "INFO",
  "projects": [
    {
      "name": "my-app",
      "path": "/path/to/my-app",
      "enabled": true,
      "priority": 1,
      "max_workers": 3,
      "worker_timeout_seconds": 300,
      "model": "sonnet",
      "planner_model": "sonnet",
      "judge_model": "haiku",
      "max_budget_per_task": 0.50,
      "planner_context_files": ["CLAUDE.md"],
      "backlog_source": "claude_md",
      "cycle_interval_minutes": 30,
      "test_command": "pytest",
      "lint_command": "ruff check ."
    }
  ]
}
`;

describe('portfolio file', () => {
  it("accepts seed 001's file as its README shows it, every field mapped", () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-portfolio-'));
    writeFileSync(join(dir, 'personal.json'), seedFile);
    const portfolio = loadPortfolio(join(dir, 'personal.json'));
    expect(portfolio.name).toBe('personal');
    expect(portfolio.logLevel).toBe('info');
    expect(portfolio.projects[0]).toMatchObject({
      name: 'my-app',
      path: '/path/to/my-app',
      enabled: true,
      priority: 1,
      maxWorkers: 3,
      workerTimeoutSeconds: 300,
      model: 'sonnet',
      plannerModel: 'sonnet',
      judgeModel: 'haiku',
      maxBudgetPerTask: 0.5,
      plannerContextFiles: ['CLAUDE.md'],
      backlogSource: 'claude_md',
      cycleIntervalMinutes: 30,
      testCommand: 'pytest',
      lintCommand: 'ruff check .',
    });
  });

  it('takes orch\'s own camelCase with comments, a cron schedule, worker strategy and budgets; relative paths from the file', () => {
    const portfolio = parsePortfolio(
      `{ // mine
        "maxAgents": 2, "budget": { "dailyUsd": 10 },
        "projects": [{ "name": "a", "path": "repos/a", "schedule": "*/5 * * * * *", "worker": { "strategy": "best-of-n", "n": 2 }, "budget": { "monthlyUsd": 50 } },],
      }`,
      'p.jsonc',
      '/home/me',
    );
    expect(portfolio.projects[0]).toMatchObject({ path: '/home/me/repos/a', schedule: '*/5 * * * * *', worker: { strategy: 'best-of-n', n: 2 }, budget: { monthlyUsd: 50 } });
    expect(portfolio.budget.dailyUsd).toBe(10);
  });

  it.each([
    ['a bad cron pattern', '{"projects":[{"name":"a","path":"/a","schedule":"every minute"}]}', 'projects.0.schedule'],
    ['a key given both ways', '{"projects":[{"name":"a","path":"/a","max_workers":2,"maxWorkers":3}]}', "given both as 'max_workers' and 'maxWorkers'"],
    ['an unknown key', '{"projects":[{"name":"a","path":"/a","max_wrkers":2}]}', 'max_wrkers'],
    ['two projects with one name', '{"projects":[{"name":"a","path":"/a"},{"name":"a","path":"/b"}]}', "two projects are named 'a'"],
    ['no project', '{"projects":[]}', 'at least one project'],
    ['an unknown backlog source', '{"projects":[{"name":"a","path":"/a","backlog_source":"jira"}]}', 'backlogSource'],
    ['broken JSON', '{"projects": [', 'not valid JSON'],
  ])('refuses %s, saying what is wrong', (_what, text, message) => {
    expect(() => parsePortfolio(text, 'p.jsonc', '/')).toThrow(ConfigError);
    expect(() => parsePortfolio(text, 'p.jsonc', '/')).toThrow(message);
  });

  it('says where to write a portfolio when there is none', () => {
    expect(() => loadPortfolio('/nonexistent/portfolio.jsonc')).toThrow(/does not exist/);
  });
});
