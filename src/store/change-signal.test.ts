import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { Store } from './store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('external changes', () => {
  it('rings when another connection commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-signal-'));
    dirs.push(dir);
    const reader = new Store(join(dir, 'orch.db'));
    const writer = new Store(join(dir, 'orch.db'));
    let rings = 0;
    const unsubscribe = reader.externalChanges.subscribe(() => rings++);
    try {
      reader.events.append({ runId: null, type: 'own.write' });
      writer.events.append({ runId: null, type: 'other.write' });
      await waitFor(() => rings >= 1, { what: 'a ring for the first write' });
      const after = rings;
      writer.events.append({ runId: null, type: 'other.write.2' });
      await waitFor(() => rings > after, { what: 'a ring for the second write' });
      // The reader sees what rang: the other connection's events are in its reads.
      expect(reader.events.since(null).map((e) => e.type)).toEqual(['own.write', 'other.write', 'other.write.2']);
    } finally {
      unsubscribe();
      reader.close();
      writer.close();
    }
  });

  it('rings for every commit of another process within milliseconds, not at the next poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-signal-'));
    dirs.push(dir);
    const reader = new Store(join(dir, 'orch.db'));
    // Another process commits one row each time it is told to, and says when the commit returned.
    const writerScript = `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE IF NOT EXISTS ping (n INTEGER)');
      const insert = db.prepare('INSERT INTO ping (n) VALUES (?)');
      let n = 0;
      require('node:readline').createInterface({ input: process.stdin }).on('line', () => { insert.run(n++); process.stdout.write('committed\\n'); });`;
    const writer = spawn(process.execPath, ['-e', writerScript, join(dir, 'orch.db')], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
    const committed: (() => void)[] = [];
    createInterface({ input: writer.stdout }).on('line', () => committed.shift()?.());
    let rings = 0;
    const unsubscribe = reader.externalChanges.subscribe(() => rings++);
    const delays: number[] = [];
    try {
      for (let i = 0; i < 60; i++) {
        const before = rings;
        const done = new Promise<void>((resolve) => committed.push(resolve));
        writer.stdin.write('go\n');
        await done;
        const at = performance.now();
        await waitFor(() => rings > before, { what: `a ring for commit ${i}`, intervalMs: 1 });
        delays.push(performance.now() - at);
      }
    } finally {
      unsubscribe();
      writer.kill();
      reader.close();
    }
    delays.sort((a, b) => a - b);
    // The fallback poll is 2 s: a commit whose file event came before it was visible, and was not looked at
    // again, would wait for it. Generous for a loaded machine, far below the poll.
    expect(delays[Math.floor(delays.length * 0.95)], delays.map(Math.round).join(' ')).toBeLessThan(400);
  });
});
