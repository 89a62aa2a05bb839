// Which model each agent of a run gets: the run's own choice, then the agent's configured model, then the global one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo, type TempRepo } from '../../../test/helpers/git-fixture.ts';
import { CredentialPools } from '../core/credential-pools.ts';
import { prepareRun, type RunRequest } from './run-request.ts';

const repos: TempRepo[] = [];
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup();
});

async function settingsFor(config: Record<string, unknown>, request: Partial<RunRequest>) {
  const repo = await createTempRepo();
  repos.push(repo);
  // `true` stands in for every agent's program: only the choice of model is under test.
  const agents = { claude: { binary: 'true' }, codex: { binary: 'true' }, ...(config['agents'] as object | undefined) };
  writeFileSync(join(repo.root, 'orch.config.json'), JSON.stringify({ ...config, agents }));
  const prepared = await prepareRun(
    { repoPath: repo.root, goal: 'g', agentEnv: { ANTHROPIC_API_KEY: 'k', CODEX_API_KEY: 'k' }, ...request },
    new CredentialPools({}),
  );
  return prepared.settings;
}

describe('models per agent', () => {
  it("gives the run's agent its own configured model before the global one, and the flag before both", async () => {
    const config = { model: 'global', agents: { claude: { binary: 'true', model: 'opus' } } };
    expect((await settingsFor(config, {})).agents).toEqual([{ agent: 'claude', model: 'opus' }]);
    expect((await settingsFor(config, { model: 'haiku' })).agents).toEqual([{ agent: 'claude', model: 'haiku' }]);
    expect((await settingsFor({ model: 'global' }, {})).agents).toEqual([{ agent: 'claude', model: 'global' }]);
  });

  it('never hands the global model to a second agent of --agents; each gets its own', async () => {
    const config = { model: 'sonnet', agents: { codex: { binary: 'true', model: 'gpt-5.5' } } };
    const settings = await settingsFor(config, { agents: 'claude:opus,codex,claude' });
    expect(settings.agents).toEqual([{ agent: 'claude', model: 'opus' }, { agent: 'codex', model: 'gpt-5.5' }, { agent: 'claude' }]);
    // Attempts a strategy gives an agent but no model look the agent's up here.
    expect(settings.agentModels).toEqual({ codex: 'gpt-5.5' });
  });

  it("gives the reviewer its agent's model unless review.model names one", async () => {
    const config = { review: { enabled: true, agent: 'codex' }, agents: { codex: { binary: 'true', model: 'gpt-5.5' } } };
    expect((await settingsFor(config, {})).review).toEqual({ enabled: true, agent: 'codex', model: 'gpt-5.5' });
    const named = { ...config, review: { ...config.review, model: 'mini' } };
    expect((await settingsFor(named, {})).review).toEqual({ enabled: true, agent: 'codex', model: 'mini' });
  });
});
