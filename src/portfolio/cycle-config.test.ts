import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { parseConfig } from '../engine/run/config-file.ts';
import { parsePortfolio } from './config.ts';
import { writeCycleConfig } from './cycle-config.ts';

const entry = (path: string, fields: Record<string, unknown>) => {
  const project = parsePortfolio(JSON.stringify({ projects: [{ name: 'app', path, ...fields }] }), 'p', '/').projects[0];
  if (project === undefined) throw new Error('no project');
  return project;
};

describe("a cycle's config", () => {
  it("is the project's orch.config.json with its portfolio entry over it", () => {
    const repo = mkdtempSync(join(tmpdir(), 'orch-cycle-config-'));
    writeFileSync(join(repo, 'orch.config.json'), '// mine\n{ "agent": "codex", "checks": { "test": "npm test", "reruns": 2 }, "keepWorktrees": true }');
    const project = entry(repo, { model: 'sonnet', planner_model: 'opus', judge_model: 'haiku', max_workers: 5, worker_timeout_seconds: 120, max_budget_per_task: 0.3, lint_command: 'ruff check .' });
    const path = writeCycleConfig(join(repo, 'out'), project);
    const config = parseConfig(readFileSync(path, 'utf8'), path);
    expect(config).toMatchObject({
      agent: 'codex',
      model: 'sonnet',
      keepWorktrees: true,
      checks: { test: 'npm test', lint: 'ruff check .', reruns: 2 },
      timeouts: { attemptSeconds: 120 },
      budget: { attemptUsd: 0.3 },
      limits: { maxAgents: 5 },
      review: { enabled: true, model: 'haiku' },
      planner: { model: 'opus' },
      // Unattended: a usage limit is waited out (up to a day), not failed.
      retries: { maxRateLimitWaitSeconds: 86_400 },
    });
  });

  it('refuses an entry that makes the config invalid, saying which project', () => {
    const repo = mkdtempSync(join(tmpdir(), 'orch-cycle-config-'));
    expect(() => writeCycleConfig(join(repo, 'out'), entry(repo, { agent: 'nonesuch' }))).toThrow(ConfigError);
    expect(() => writeCycleConfig(join(repo, 'out'), entry(repo, { agent: 'nonesuch' }))).toThrow(/portfolio project app/);
  });
});
