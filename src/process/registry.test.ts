import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { isAlive, killRecordedGroup, processStartTime } from './registry.ts';
import { signalGroups } from './kill.ts';

const leftovers: number[] = [];
afterEach(() => {
  signalGroups(leftovers.splice(0), 'SIGKILL');
});

/** A process group as an orch that died would leave it: a leader that ignores SIGTERM, and a tool it started in a
 * group of its own. Returns the leader's and the tool's pids once both run. */
async function orphanLikeGroup(): Promise<{ leader: number; tool: number }> {
  const child = spawn('/bin/sh', ['-c', "trap '' TERM; setsid sleep 60 & echo $!; while true; do sleep 0.05; done"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const leader = child.pid ?? 0;
  leftovers.push(leader);
  const tool = await new Promise<number>((resolve) => createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line))));
  leftovers.push(tool);
  return { leader, tool };
}

describe('killRecordedGroup', () => {
  it('stops the recorded leader past an ignored SIGTERM, and the tools in groups of their own', async () => {
    const { leader, tool } = await orphanLikeGroup();
    expect(await killRecordedGroup(leader, processStartTime(leader), 300)).toBe(true);
    await waitFor(() => !isAlive(leader) && !isAlive(tool), { what: 'the group and its tool to be gone' });
  });

  it('leaves a process alone whose start time is not the recorded one (a reused pid)', async () => {
    const { leader } = await orphanLikeGroup();
    expect(await killRecordedGroup(leader, 'not-its-start-time', 300)).toBe(false);
    expect(isAlive(leader)).toBe(true);
  });
});
