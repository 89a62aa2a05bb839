// Durable steps against a real SQLite store in a temp dir: a finished step's result survives the process (the
// store is closed and opened again, as on a resume) and is returned without doing the work again; an unfinished
// or failed step is done again. Written against behaviour (key → stored result), not durableStep's exact types.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../store/store.ts';
import { durableStep, type StepScope } from './durable.ts';

let dir: string;
let dbPath: string;
const open: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-durable-'));
  dbPath = join(dir, 'orch.db');
  const store = openStore();
  store.runs.create({ id: 'run_a', projectPath: dir, goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, process.pid);
});

afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): Store {
  const store = new Store(dbPath);
  open.push(store);
  return store;
}

/** Only what a durable step reads of a run's scope. */
function scopeOn(store: Store): StepScope {
  return { deps: { store }, runId: 'run_a', inflight: new Set<Promise<unknown>>() };
}

/** A step whose work counts its calls and answers `answer`; the stored form is `{ answer }`. */
function countedStep(scope: StepScope, key: string, answer: string, calls: { n: number }, unfinished = false) {
  return durableStep(
    scope,
    key,
    { asked: key },
    () => {
      calls.n++;
      return Promise.resolve(unfinished ? { value: answer, unfinished: true as const } : { value: answer, stored: { answer } });
    },
    (stored) => `${stored.answer} (replayed)`,
  );
}

describe('durable steps', () => {
  it('does the work once; after a restart the same key returns the stored result without doing it again', async () => {
    const calls = { n: 0 };
    expect(await countedStep(scopeOn(open[0]!), 'attempt/0', 'att_1', calls)).toBe('att_1');
    open[0]!.close();
    open.splice(0);

    const resumed = openStore();
    expect(await countedStep(scopeOn(resumed), 'attempt/0', 'att_2', calls)).toBe('att_1 (replayed)');
    expect(calls.n).toBe(1);
    expect(resumed.steps.find('run_a', 'attempt/0')).toMatchObject({ status: 'completed', input: { asked: 'attempt/0' }, result: { answer: 'att_1' } });
  });

  it('keeps each key apart', async () => {
    const scope = scopeOn(open[0]!);
    const calls = { n: 0 };
    await countedStep(scope, 'attempt/0', 'first', calls);
    expect(await countedStep(scope, 'attempt/1', 'second', calls)).toBe('second');
    expect(calls.n).toBe(2);
  });

  it('leaves an unfinished step open, so a resume does it again', async () => {
    const scope = scopeOn(open[0]!);
    const calls = { n: 0 };
    expect(await countedStep(scope, 'attempt/0', 'interrupted', calls, true)).toBe('interrupted');
    expect(open[0]!.steps.find('run_a', 'attempt/0')?.status).toBe('started');
    expect(await countedStep(scope, 'attempt/0', 'done', calls)).toBe('done');
    expect(calls.n).toBe(2);
    expect(open[0]!.steps.find('run_a', 'attempt/0')?.status).toBe('completed');
  });

  it('stores nothing for work that failed, and raises its error', async () => {
    const scope = scopeOn(open[0]!);
    await expect(durableStep(scope, 'judge/attempt/0', {}, () => Promise.reject<{ value: string; stored: null }>(new Error('checks crashed')), () => 'never')).rejects.toThrow('checks crashed');
    expect(open[0]!.steps.find('run_a', 'judge/attempt/0')?.status).toBe('started');
    expect(scope.inflight.size).toBe(0);
  });

  it('counts its work as in flight until it settles, so the run does not end under it', async () => {
    const scope = scopeOn(open[0]!);
    let finish!: () => void;
    const step = durableStep(
      scope,
      'merge',
      {},
      () => new Promise<{ value: string; stored: unknown }>((resolve) => (finish = () => resolve({ value: 'merged', stored: {} }))),
      () => 'replayed',
    );
    expect(scope.inflight.size).toBe(1);
    finish();
    expect(await step).toBe('merged');
    expect(scope.inflight.size).toBe(0);
  });

  it('records a started and a completed event for the step', async () => {
    const scope = scopeOn(open[0]!);
    await countedStep(scope, 'plan/run', 'planned', { n: 0 });
    const events = open[0]!.events.since('run_a').filter((e) => e.type.startsWith('step.'));
    expect(events.map((e) => [e.type, e.data.key])).toEqual([
      ['step.started', 'plan/run'],
      ['step.completed', 'plan/run'],
    ]);
  });
});
