import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { sampleTree, treeUsage, type ResourceSample } from './resources.ts';

const children: { kill: () => boolean }[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe('sampling a process tree', () => {
  it("adds up a parent's and its child's memory and sees the CPU a busy child burns", async () => {
    // A parent that starts a child holding ~64 MiB and spinning, and that prints when it is ready.
    const child = "const b = Buffer.alloc(64 * 1048576, 1); console.log('ready'); for (;;) { b[0]++; }";
    const parent = spawn(process.execPath, ['-e', `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' }); process.on('SIGTERM', () => { c.kill(); process.exit(); }); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(parent);
    let ready = false;
    parent.stdout.once('data', () => (ready = true));
    await waitFor(() => ready, { what: 'the child holding its memory' });

    const usage = treeUsage(parent.pid!);
    expect(usage?.processes).toBe(2);
    expect(usage!.rssBytes).toBeGreaterThan(64 * 1048576);

    const samples: ResourceSample[] = [];
    const stop = sampleTree(parent.pid!, (s) => samples.push(s), { firstMs: 10, everyMs: 200 });
    try {
      const second = await waitFor(() => samples[1], { what: 'two samples' });
      // A spinning child: far above idle on any machine, at most all of one core (and a bit of the parent's).
      expect(second.cpuPercent).toBeGreaterThan(20);
      expect(second.cpuPercent).toBeLessThan(400);
      expect(second.processes).toBe(2);
    } finally {
      stop();
    }
    expect(treeUsage(999_999_999)).toBeNull();
  });
});
