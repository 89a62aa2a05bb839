// Runs through the API with the fake command agent: real git, real SQLite, the real engine in-process.
import { describe, expect, it } from 'vitest';
import type { Attempt } from '../domain/records.ts';
import type { RunTimeline } from '../domain/timeline.ts';
import { isAlive } from '../process/registry.ts';
import { useApiHarness, type ApiHarness } from '../../test/helpers/api-server.ts';
import { fakeAgentConfig } from '../../test/helpers/orch-cli.ts';
import { isRunEnd, readEventsUntil } from '../../test/helpers/sse.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

const { temp, harness } = useApiHarness();

interface ErrorAnswer {
  error: { code: string; message: string; hint?: string; issues?: { path: string; message: string }[] };
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function runningAttempt(h: ApiHarness, runId: string, notPid?: number): Promise<Attempt & { pid: number }> {
  return waitFor(() => h.store.attempts.listByRun(runId).find((a): a is Attempt & { pid: number } => a.status === 'running' && a.pid !== null && a.pid !== notPid), {
    what: `a running attempt in ${runId}`,
  });
}

describe('POST /runs and what follows', () => {
  it('starts a run, streams its events until run.succeeded, and reports it', async () => {
    const h = await harness();
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'feature.txt': 'done\n' }, print: ['working on it'] }) } });
    const started = await h.call('POST', '/api/v1/runs', { body: { repo: repo.root, goal: 'add the feature file', testCmd: 'test -f feature.txt' } });
    expect(started.status).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    expect(h.store.runs.find(runId)).toBeDefined();

    const stream = await h.call('GET', `/api/v1/runs/${runId}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEventsUntil(stream, isRunEnd);
    expect(events[0]?.type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.succeeded');
    expect(events.map((e) => e.seq)).toEqual(h.store.events.since(runId).slice(0, events.length).map((e) => e.seq));

    const report = await json<{ run: { status: string }; attempts: { id: string }[]; verdicts: { passed: boolean }[]; merges: { status: string }[]; comparisons: unknown[] }>(
      await h.call('GET', `/api/v1/runs/${runId}`),
    );
    expect(report.run.status).toBe('succeeded');
    expect(report.verdicts.map((v) => v.passed)).toEqual([true]);
    expect(report.merges.map((m) => m.status)).toEqual(['merged']);
    expect(await repo.git(['show', 'main:feature.txt'])).toBe('done');
    const attemptId = report.attempts[0]?.id ?? '';

    expect((await json<{ attempts: unknown[] }>(await h.call('GET', `/api/v1/runs/${runId}/attempts`))).attempts).toHaveLength(1);
    expect((await json<{ verdicts: unknown[] }>(await h.call('GET', `/api/v1/runs/${runId}/verdicts`))).verdicts).toHaveLength(1);
    expect((await json<{ tasks: unknown[] }>(await h.call('GET', `/api/v1/runs/${runId}/tasks`))).tasks).toEqual([]);
    // The run in time: its one attempt's agent phase runs from its start event to its finish event.
    const timeline = await json<RunTimeline>(await h.call('GET', `/api/v1/runs/${runId}/timeline`));
    const all = h.store.events.since(runId, 0, 10_000);
    const since = (type: string) => Date.parse(all.find((e) => e.type === type)!.at) - Date.parse(all[0]!.at);
    const lane = timeline.lanes.find((l) => l.kind === 'attempt');
    expect(lane?.phases.find((p) => p.phase === 'agent')).toMatchObject({ startMs: since('attempt.started'), endMs: since('attempt.finished') });
    expect(lane?.phases.map((p) => p.phase)).toContain('checks');
    expect(timeline.analytics.agentLimit).toBe(4);
    // The agents' sampled resources come with it, as many samples as the event log holds (none: null, not zeros).
    const samples = all.filter((e) => e.type === 'attempt.resources').length;
    expect(timeline.analytics.resources?.samples ?? 0).toBe(samples);
    expect(timeline.analytics).toHaveProperty('peakTotalRssBytes', samples === 0 ? null : expect.any(Number));
    const detail = await json<{ attempt: { id: string; runId: string }; verdicts: unknown[] }>(await h.call('GET', `/api/v1/attempts/${attemptId}`));
    expect(detail.attempt.runId).toBe(runId);
    expect(detail.verdicts).toHaveLength(1);

    const diff = await json<{ text: string; truncated: boolean; stat: { filesChanged: number; files: { path: string }[] } }>(await h.call('GET', `/api/v1/attempts/${attemptId}/diff`));
    expect(diff.text).toContain('+done');
    expect(diff.truncated).toBe(false);
    expect(diff.stat.files.map((f) => f.path)).toEqual(['feature.txt']);

    const logs = await json<{ lines: { line: string }[]; next: number; done: boolean }>(await h.call('GET', `/api/v1/attempts/${attemptId}/logs`));
    expect(logs.lines.map((l) => l.line)).toEqual(expect.arrayContaining([expect.stringContaining('fake agent got a prompt'), 'working on it']));
    expect(logs.done).toBe(true);
    const more = await json<{ lines: unknown[]; next: number }>(await h.call('GET', `/api/v1/attempts/${attemptId}/logs?after=${logs.next}`));
    expect(more).toMatchObject({ lines: [], next: logs.next });
    const partial = await json<{ lines: unknown[]; next: number }>(await h.call('GET', `/api/v1/attempts/${attemptId}/logs?after=1&limit=1`));
    expect(partial).toMatchObject({ lines: [logs.lines[1]], next: 2 });

    const ids = async (query: string) => (await json<{ runs: { id: string }[] }>(await h.call('GET', `/api/v1/runs${query}`))).runs.map((r) => r.id);
    expect(await ids('')).toEqual([runId]);
    expect(await ids('?status=succeeded')).toEqual([runId]);
    expect(await ids('?status=failed')).toEqual([]);
    expect(await ids(`?project=${encodeURIComponent(repo.root)}`)).toEqual([runId]);
    expect(await ids(`?project=${encodeURIComponent(`${repo.root}-other`)}`)).toEqual([]);

    const job = await json<{ job_id: string; status: string }>(await h.call('GET', `/api/v1/jobs/${runId}/status`));
    expect(job).toMatchObject({ job_id: runId, status: 'completed' });
  });

  it("takes seed 003's form on POST /orchestrate, on the server's default repository", async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' } }) } });
    const h = await harness({ defaultRepo: repo.root });
    const answer = await h.call('POST', '/api/v1/orchestrate', { body: { request: 'add x', config: { max_workers: 2, enable_recursion: true } } });
    expect(answer.status).toBe(202);
    const body = await json<{ job_id: string; runId: string; status: string; ignored: string[] }>(answer);
    expect(body).toMatchObject({ job_id: body.runId, status: 'running', ignored: ['enable_recursion'] });
    const run = await h.client.waitForRun(body.runId);
    expect(run.status).toBe('succeeded');
    expect(run.strategy).toBe('best-of-n');
    expect(await h.client.getAttempts(body.runId)).toHaveLength(2);
  });
});

describe('nothing merges unchecked through the API either', () => {
  it('POST /orchestrate on a project with no check leaves the result on its branch; a blank testCmd is refused', async () => {
    // No allowUnchecked here, unlike fakeAgentConfig's default for tests about other things.
    const config = JSON.parse(fakeAgentConfig({ files: { 'x.txt': 'x\n' } })) as Record<string, unknown>;
    delete config['checks'];
    const repo = await temp.repo({ files: { 'orch.config.json': JSON.stringify(config) } });
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const h = await harness({ defaultRepo: repo.root });
    const answer = await h.call('POST', '/api/v1/orchestrate', { body: { request: 'add x', config: { repo: repo.root } } });
    const { runId } = await json<{ runId: string }>(answer);
    const run = await h.client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    expect(h.store.judgements.mergesByRun(runId)[0]?.status).toBe('left_on_branch');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(await repo.git(['show', `orch/${runId}/result:x.txt`])).toBe('x');

    const blank = await h.call('POST', '/api/v1/runs', { body: { repo: repo.root, goal: 'add x', testCmd: '   ' } });
    expect(blank.status).toBe(400);
    expect((await json<ErrorAnswer>(blank)).error.message).toContain('--test-cmd is empty');
  });
});

describe('bad requests', () => {
  it('answer 400 with what is wrong, and start nothing', async () => {
    const h = await harness();
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({}) } });
    const notRepo = await temp.dir();
    const post = async (body: unknown) => {
      const response = await h.call('POST', '/api/v1/runs', { body });
      return { status: response.status, ...(await json<ErrorAnswer>(response)) };
    };

    const empty = await post({});
    expect(empty.status).toBe(400);
    expect(empty.error.code).toBe('invalid_request');
    expect(empty.error.issues).toEqual(expect.arrayContaining([{ path: 'repo', message: 'required' }, { path: 'goal', message: 'required' }]));
    expect(empty.error.message).toContain('body.repo: required');

    expect((await post({ repo: 'relative/dir', goal: 'x' })).error.issues).toEqual([{ path: 'repo', message: 'must be an absolute path or a repository URL' }]);
    expect((await post({ repo: repo.root, goal: 'x', timeoutSeconds: -1 })).error.issues?.[0]?.path).toBe('timeoutSeconds');
    // Numbers past what the platform can do: a timer waits at most 2^31-1 ms (longer ones fire after 1 ms).
    const tooLong = await post({ repo: repo.root, goal: 'x', timeoutSeconds: 3_000_000 });
    expect(tooLong.error.issues).toEqual([{ path: 'timeoutSeconds', message: expect.stringMatching(/must be at most 2147483 seconds \(the longest a timer can wait/) as unknown }]);
    expect((await post({ repo: repo.root, goal: 'x', idleTimeoutSeconds: 1e300 })).error.issues?.[0]?.path).toBe('idleTimeoutSeconds');
    expect((await post({ repo: repo.root, goal: 'x', maxRunCostUsd: 1e12 })).error.issues?.[0]?.message).toMatch(/at most 1000000 US dollars/);
    expect((await h.call('POST', '/api/v1/orchestrate', { body: { request: 'x', config: { repo: repo.root, default_timeout: 1e10 } } })).status).toBe(400);
    expect((await post({ repo: repo.root, goal: 'x', repoPath: '/etc' })).error.message).toContain('repoPath');
    expect((await post('{"repo":')).error.code).toBe('invalid_json');

    const notARepository = await post({ repo: notRepo, goal: 'x' });
    expect(notARepository).toMatchObject({ status: 400, error: { code: 'not_a_repository', message: `'${notRepo}' is not a git repository.` } });
    const missing = await post({ repo: `${notRepo}/nope`, goal: 'x' });
    expect(missing).toMatchObject({ status: 400, error: { code: 'not_a_repository' } });
    expect(missing.error.message).toContain('does not exist');
    const badTarget = await post({ repo: repo.root, goal: 'x', target: 'no-such-branch' });
    expect(badTarget).toMatchObject({ status: 400, error: { code: 'ref_not_found' } });
    expect(badTarget.error.hint).toBeDefined();
    const badGoal = await post({ repo: repo.root, goal: '   ' });
    expect(badGoal).toMatchObject({ status: 400, error: { code: 'usage', message: 'The goal is empty.' } });
    expect(await post({ repo: repo.root, goal: 'fix\u0000 it' })).toMatchObject({ status: 400, error: { code: 'usage', message: expect.stringMatching(/^The goal holds a NUL byte/) as unknown } });
    expect(await post({ repo: repo.root, goal: 'x', model: 'son\uD800net' })).toMatchObject({ status: 400, error: { message: expect.stringMatching(/^The model holds an unpaired surrogate/) as unknown } });
    expect(await post({ repo: repo.root, goal: '\u200B\u202E\u2066 ' })).toMatchObject({ status: 400, error: { message: expect.stringMatching(/only invisible characters/) as unknown } });

    expect(h.store.runs.list()).toEqual([]);

    const unknownRun = await h.call('GET', '/api/v1/runs/run_00000000000000');
    expect(unknownRun.status).toBe(404);
    expect((await json<ErrorAnswer>(unknownRun)).error.code).toBe('not_found');
    const badId = await h.call('GET', '/api/v1/runs/latest');
    expect(badId.status).toBe(400);
    expect((await json<ErrorAnswer>(badId)).error.code).toBe('invalid_id');
    const badQuery = await h.call('GET', '/api/v1/runs?limit=0&status=done');
    expect((await json<ErrorAnswer>(badQuery)).error.issues?.map((i) => i.path).sort()).toEqual(['limit', 'status']);
    expect((await h.call('GET', '/api/v1/nothing-here')).status).toBe(404);
    expect((await h.call('GET', '/api/v1/events', { headers: { 'last-event-id': 'abc' } })).status).toBe(400);
  });
});

describe('cancel and resume', () => {
  it('cancels a running run: it ends canceled and its agent process is gone', async () => {
    const h = await harness();
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ hang: true }) } });
    const { runId } = await json<{ runId: string }>(await h.call('POST', '/api/v1/runs', { body: { repo: repo.root, goal: 'hang' } }));
    const attempt = await runningAttempt(h, runId);
    expect(isAlive(attempt.pid)).toBe(true);

    const canceled = await h.call('POST', `/api/v1/runs/${runId}/cancel`);
    expect(canceled.status).toBe(200);
    expect((await json<{ run: { status: string } }>(canceled)).run.status).toBe('canceled');
    expect(isAlive(attempt.pid)).toBe(false);
    expect(h.engine.isLive(runId)).toBe(false);
    expect(h.store.events.since(runId).map((e) => e.type)).toContain('run.canceled');

    const again = await h.call('POST', `/api/v1/runs/${runId}/cancel`);
    expect(again.status).toBe(409);
    expect((await json<ErrorAnswer>(again)).error).toEqual({ code: 'conflict', message: `Run ${runId} already ended canceled; there is nothing to cancel.` });
    const resume = await h.call('POST', `/api/v1/runs/${runId}/resume`);
    expect(resume.status).toBe(409);
    expect((await json<ErrorAnswer>(resume)).error.message).toBe(`Run ${runId} is canceled; there is nothing to resume.`);
  });

  it('resumes an interrupted run in the background, and cancels a run that is not running here', async () => {
    const h = await harness();
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ hang: true }) } });
    const { runId } = await h.client.startRun({ repo: repo.root, goal: 'hang' });
    const first = await runningAttempt(h, runId);
    await h.engine.stopAll();
    expect(h.store.runs.get(runId).status).toBe('interrupted');
    expect(isAlive(first.pid)).toBe(false);

    expect(await h.client.resumeRun(runId)).toEqual({ runId, status: 'running' });
    const second = await runningAttempt(h, runId, first.pid);
    expect((await h.call('POST', `/api/v1/runs/${runId}/resume`)).status).toBe(409);
    expect((await h.client.cancelRun(runId)).status).toBe('canceled');
    expect(isAlive(second.pid)).toBe(false);

    // Interrupted and not running in this server: cancel just closes it.
    const other = await h.client.startRun({ repo: repo.root, goal: 'hang again' });
    await runningAttempt(h, other.runId);
    await h.engine.stopAll();
    expect(h.engine.isLive(other.runId)).toBe(false);
    expect((await h.client.cancelRun(other.runId)).status).toBe('canceled');
  });
});
