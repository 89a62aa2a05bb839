// The portfolio routes in-process: status, a project's backlog (add, list, edit, defer) and cycles, with the
// answers a script or the dashboard relies on, and clear refusals for bad input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../../test/helpers/api-server.ts';

const { temp, harness } = useApiHarness();

async function withPortfolio() {
  const repo = await temp.repo();
  const dir = await temp.dir();
  const path = join(dir, 'portfolio.jsonc');
  writeFileSync(path, `// two projects\n${JSON.stringify({ name: 'mine', projects: [{ name: 'app', path: repo.root, budget: { daily_usd: 3 } }, { name: 'lib', path: repo.root, enabled: false }] })}`);
  return harness({ portfolioPath: path });
}

describe('portfolio API', () => {
  it('adds, lists, edits and defers backlog tasks, and shows the portfolio status with them', async () => {
    const h = await withPortfolio();
    const added = await h.call('POST', '/api/v1/portfolio/projects/app/tasks', { body: { title: 'Fix the parser', description: 'nulls', type: 'fix', priority: 1 } });
    expect(added.status).toBe(200);
    const { task } = (await added.json()) as { task: { id: number; status: string; source: string } };
    expect(task).toMatchObject({ status: 'pending', source: 'manual' });

    const edited = await h.call('POST', `/api/v1/portfolio/tasks/${task.id}`, { body: { title: 'Fix the parser for nulls', priority: 2 } });
    expect(((await edited.json()) as { task: { title: string; priority: number } }).task).toMatchObject({ title: 'Fix the parser for nulls', priority: 2 });
    const deferred = await h.call('POST', `/api/v1/portfolio/tasks/${task.id}/defer`);
    expect(((await deferred.json()) as { task: { status: string } }).task.status).toBe('deferred');

    const list = await h.call('GET', '/api/v1/portfolio/projects/app/tasks?status=deferred', { key: h.keys.read });
    expect(((await list.json()) as { tasks: { id: number }[] }).tasks.map((t) => t.id)).toEqual([task.id]);
    const pending = await h.call('GET', '/api/v1/portfolio/projects/app/tasks?status=pending', { key: h.keys.read });
    expect(((await pending.json()) as { tasks: unknown[] }).tasks).toEqual([]);

    const status = (await (await h.call('GET', '/api/v1/portfolio', { key: h.keys.read })).json()) as { portfolio: string; daemon: { running: boolean }; projects: { name: string; state: string; why: string | null; tasks: { deferred: number }; budget: { dailyUsd: number | null } }[] };
    expect(status.portfolio).toBe('mine');
    expect(status.daemon.running).toBe(false);
    expect(status.projects[0]).toMatchObject({ name: 'app', state: 'active', tasks: { deferred: 1 }, budget: { dailyUsd: 3 } });
    expect(status.projects[1]).toMatchObject({ name: 'lib', state: 'disabled' });
    const cycles = await h.call('GET', '/api/v1/portfolio/projects/app/cycles', { key: h.keys.read });
    expect(await cycles.json()).toEqual({ cycles: [] });
  });

  it('refuses bad input with what was wrong, and changes nothing', async () => {
    const h = await withPortfolio();
    const noTitle = await h.call('POST', '/api/v1/portfolio/projects/app/tasks', { body: { description: 'x' } });
    expect(noTitle.status).toBe(400);
    expect(((await noTitle.json()) as { error: { message: string } }).error.message).toContain('title');
    const badType = await h.call('POST', '/api/v1/portfolio/projects/app/tasks', { body: { title: 't', type: 'feature' } });
    expect(badType.status).toBe(400);
    const unknown = await h.call('POST', '/api/v1/portfolio/projects/nope/tasks', { body: { title: 't' } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("no project named 'nope'");
    expect((await h.call('POST', '/api/v1/portfolio/tasks/999', { body: { title: 'x' } })).status).toBe(404);
    expect((await h.call('POST', '/api/v1/portfolio/tasks/abc/defer')).status).toBe(400);
    expect(((await (await h.call('GET', '/api/v1/portfolio/projects/app/tasks', { key: h.keys.read })).json()) as { tasks: unknown[] }).tasks).toEqual([]);
    // Reading needs only a read key; changing needs a write key.
    expect((await h.call('POST', '/api/v1/portfolio/projects/app/tasks', { key: h.keys.read, body: { title: 't' } })).status).toBe(403);
  });

  it('says there is no portfolio when the server has none', async () => {
    const h = await harness();
    const answer = await h.call('GET', '/api/v1/portfolio', { key: h.keys.read });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: { hint: string } }).error.hint).toContain('--portfolio');
  });
});
