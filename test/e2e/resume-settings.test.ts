// A resume runs a run exactly as it was started: with the config file given to `orch run --config`, not the
// repository's orch.config.json, whether it is resumed from the command line or through the API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../src/process/supervise.ts';
import { useApiHarness } from '../helpers/api-server.ts';
import { guard } from '../helpers/slack.ts';
import { fakeAgentConfig, repoRoot, runOrch } from '../helpers/orch-cli.ts';

const { temp, harness } = useApiHarness();

interface Report {
  run: { id: string; status: string };
}

/** A repository whose own config has an agent that fails, and a config elsewhere whose agent hangs. */
async function setUp() {
  const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig({ exitCode: 1, print: ['the repository config'] }) } });
  await repo.git(['switch', '--quiet', '-c', 'other']);
  const home = await temp.dir();
  const otherConfig = join(await temp.dir(), 'other.json');
  writeFileSync(otherConfig, fakeAgentConfig({ hang: true }));
  return { repo, home, otherConfig };
}

describe('a run started with --config', () => {
  it('resumes with that config file, not the repository’s orch.config.json', async () => {
    const { repo, home, otherConfig } = await setUp();
    let orchPid = 0;
    let runId = '';
    const first = await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'make a', '--config', otherConfig, '--target', 'main', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home },
      totalTimeoutMs: guard(120_000),
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? '';
        // The agent of the --config file is at work (and hangs): stop orch as Ctrl+C would.
        if (/agent running \(pid \d+\)/.test(line)) process.kill(orchPid, 'SIGINT');
      },
    });
    expect(first.exitCode).toBe(130);
    expect(runId).not.toBe('');

    // The same file, changed meanwhile: its agent now does the work. The repository's own agent would fail.
    writeFileSync(otherConfig, fakeAgentConfig({ files: { 'a.txt': 'a\n' } }));
    const resumed = await runOrch(['resume', runId, '--json', '--no-tui'], { cwd: repo.root, home });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as Report).run.status).toBe('succeeded');
    expect(await repo.git(['show', 'main:a.txt'])).toBe('a');
  });

  it('resumes through the API with the same settings as from the command line', async () => {
    const { repo, otherConfig } = await setUp();
    const h = await harness();
    const { runId } = await h.engine.startRun({ repoPath: repo.root, goal: 'make a', target: 'main', configPath: otherConfig });
    await h.engine.stopAll();
    expect(h.store.runs.get(runId).status).toBe('interrupted');

    writeFileSync(otherConfig, fakeAgentConfig({ files: { 'a.txt': 'a\n' } }));
    expect(await h.client.resumeRun(runId)).toEqual({ runId, status: 'running' });
    expect((await h.client.waitForRun(runId)).status).toBe('succeeded');
    expect(await repo.git(['show', 'main:a.txt'])).toBe('a');
  });

  it('says what is wrong with the config file it was started with, and changes nothing', async () => {
    const { repo, otherConfig } = await setUp();
    const h = await harness();
    const { runId } = await h.engine.startRun({ repoPath: repo.root, goal: 'make a', target: 'main', configPath: otherConfig });
    await h.engine.stopAll();
    writeFileSync(otherConfig, '{ "agent": ');
    const answer = await h.call('POST', `/api/v1/runs/${runId}/resume`);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).toBe('config_invalid');
    expect(body.error.message).toContain(`was started with --config ${otherConfig}`);
    // Nothing changed: the run is still interrupted and can be resumed once the file is fixed.
    expect(h.store.runs.get(runId).status).toBe('interrupted');
  });
});
