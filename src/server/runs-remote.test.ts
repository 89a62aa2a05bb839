// POST /runs with a repository URL: the server fetches it into a mirror, runs there, and pushes the result back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../git/exec.ts';
import { useApiHarness } from '../../test/helpers/api-server.ts';
import { fakeAgentConfig } from '../../test/helpers/orch-cli.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

const { temp, harness } = useApiHarness();

describe('POST /runs with a repository URL', () => {
  it('runs on a mirror of the URL and fast-forwards the remote target; the report says how it went back', async () => {
    const h = await harness();
    const user = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'feature.txt': 'done\n' } }) } });
    const remote = join(user.dir, 'remote.git');
    await git(['clone', '--quiet', '--bare', user.root, remote], { cwd: user.dir });
    const started = await h.call('POST', '/api/v1/runs', { body: { repo: `file://${remote}`, goal: 'add a feature' } });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const report = await waitFor(async () => {
      const answer = (await (await h.call('GET', `/api/v1/runs/${runId}`)).json()) as { run: { status: string }; delivery: { status: string; message: string } | null };
      return answer.delivery === null ? undefined : answer;
    });
    expect(report.run.status).toBe('succeeded');
    expect(report.delivery).toMatchObject({ status: 'pushed' });
    expect((await git(['show', 'main:feature.txt'], { cwd: remote })).stdout).toBe('done');
  });

  it('answers 400 for a URL with a password and for a relative path, starting nothing', async () => {
    const h = await harness();
    const secret = await h.call('POST', '/api/v1/runs', { body: { repo: 'https://me:tok3n@example.invalid/r.git', goal: 'x' } });
    expect(secret.status).toBe(400);
    const said = await secret.text();
    expect(said).toContain('password or token');
    expect(said).not.toContain('tok3n');
    const relative = await h.call('POST', '/api/v1/runs', { body: { repo: 'some/dir', goal: 'x' } });
    expect(relative.status).toBe(400);
    expect(h.store.runs.list({ limit: 10 })).toEqual([]);
  });
});
