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

    // A sleeping process beside it: what idle looks like on this machine, however loaded. It starts after the scan
    // above, which its sampler must not take for its own (it once did, found no such process, and stopped for good).
    const idle = spawn(process.execPath, ['-e', "console.log('ready'); setInterval(() => {}, 1000);"], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(idle);
    let idleReady = false;
    idle.stdout.once('data', () => (idleReady = true));
    await waitFor(() => idleReady, { what: 'the idle process to start' });

    const samples: ResourceSample[] = [];
    const idleSamples: ResourceSample[] = [];
    const stops = [sampleTree(parent.pid!, (s) => samples.push(s), { firstMs: 10, everyMs: 500 }), sampleTree(idle.pid!, (s) => idleSamples.push(s), { firstMs: 10, everyMs: 500 })];
    try {
      const [busy, still] = await waitFor(() => (samples[1] && idleSamples[1] ? [samples[1], idleSamples[1]] : undefined), { what: 'two samples of each' });
      // A spinning child burns CPU, an idle process next to none: true on a quiet machine (the child near 100% of a
      // core) and under heavy load (its fair share, ~10% with 16 busy processes on 2 cores). At most all of one core
      // and a bit of the parent's.
      expect(busy.cpuPercent).toBeGreaterThan(1);
      expect(busy.cpuPercent).toBeGreaterThan(still.cpuPercent);
      expect(busy.cpuPercent).toBeLessThan(400);
      expect(busy.processes).toBe(2);
      expect(still.processes).toBe(1);
    } finally {
      for (const stop of stops) stop();
    }
    expect(treeUsage(999_999_999)).toBeNull();
  });
});
