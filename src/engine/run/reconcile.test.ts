import { spawn } from 'node:child_process';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../process/registry.ts';
import { Store } from '../../store/store.ts';
import { recoverOnStart } from './reconcile.ts';
import { waitFor } from '../../../test/helpers/wait-for.ts';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function storeWithRun(): Store {
  const store = new Store(':memory:');
  store.runs.create({ id: 'run_a', projectPath: '/nonexistent/repo', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 1);
  store.attempts.create({ id: 'att_a', runId: 'run_a', taskKey: 'main', stepKey: 'attempt/0', n: 1, agent: 'command', model: null, branch: 'orch/run_a/main/1', worktree: '/nonexistent/worktree-not-made-yet', baseSha: 'a'.repeat(40), logPath: '/tmp/x' });
  return store;
}

describe('recoverOnStart', () => {
  it('leaves a run another live orch holds alone, even its not-yet-created worktrees', async () => {
    const store = storeWithRun();
    const owner = spawn('sleep', ['30']);
    children.push(owner);
    await new Promise((resolve) => owner.once('spawn', resolve));
    store.runs.renewLease('run_a', owner.pid ?? 0, processStartTime(owner.pid ?? 0), 30_000);
    const recovery = await recoverOnStart(store, pino({ level: 'silent' }));
    expect(recovery).toEqual({ interruptedRuns: [], stoppedAgents: 0, prunedWorktrees: 0, removedWorktrees: 0 });
    expect(store.runs.get('run_a').status).toBe('running');
    expect(store.attempts.withLiveWorktrees().map((a) => a.id)).toEqual(['att_a']);
  });

  it('marks a run whose orch is gone interrupted, and stops the agent it left (the same process only)', async () => {
    const store = storeWithRun();
    const agent = spawn('sleep', ['30'], { detached: true });
    children.push(agent);
    await new Promise((resolve) => agent.once('spawn', resolve));
    store.attempts.markRunning('att_a', agent.pid ?? 0, processStartTime(agent.pid ?? 0));
    store.runs.renewLease('run_a', 999_999_999, null, 30_000); // an owner pid that cannot exist
    const recovery = await recoverOnStart(store, pino({ level: 'silent' }));
    expect(recovery.interruptedRuns).toEqual(['run_a']);
    expect(recovery.stoppedAgents).toBe(1);
    expect(store.runs.get('run_a').status).toBe('interrupted');
    expect(store.attempts.get('att_a').status).toBe('interrupted');
    await waitFor(() => agent.exitCode !== null || agent.signalCode !== null, { what: 'the left agent to be stopped' });
  });

  it('does not kill a process that merely reuses a recorded pid', async () => {
    const store = storeWithRun();
    const stranger = spawn('sleep', ['30'], { detached: true });
    children.push(stranger);
    await new Promise((resolve) => stranger.once('spawn', resolve));
    store.attempts.markRunning('att_a', stranger.pid ?? 0, 'not-its-start-time');
    store.runs.renewLease('run_a', 999_999_999, null, 30_000);
    const recovery = await recoverOnStart(store, pino({ level: 'silent' }));
    expect(recovery.stoppedAgents).toBe(0);
    expect(stranger.exitCode).toBeNull();
  });
});
