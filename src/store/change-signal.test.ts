import { mkdtempSync, rmSync } from 'node:fs';
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
});
