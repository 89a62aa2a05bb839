// orch/client against `orch serve`'s app over a real socket: typed calls, and an event stream that survives
// dropped connections through Last-Event-ID.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createOrchClient, type RunReport, type StartRunBody } from '../../src/client/index.ts';
import type { OrchEvent } from '../../src/domain/records.ts';
import type { Engine } from '../../src/engine/run/engine.ts';
import { listen } from '../../src/server/listen.ts';
import type { startRunBodySchema } from '../../src/server/schemas.ts';
import { useApiHarness } from '../helpers/api-server.ts';
import { fakeAgentConfig } from '../helpers/orch-cli.ts';
import { isRunEnd } from '../helpers/sse.ts';

const { temp, harness } = useApiHarness();

describe('orch/client', () => {
  it('a client that loses its connection mid-run reconnects with Last-Event-ID and sees no gap and no duplicate', async () => {
    const h = await harness();
    // The agent works until the first connection has been dropped, so that drop surely comes while it works.
    const release = join(await temp.dir(), 'release');
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'a.txt': 'a\n' }, print: ['one', 'two'], waitForFile: release }) } });
    const server = await listen(h.app, { port: 0 });
    try {
      const resumedFrom: (string | undefined)[] = [];
      server.server.on('request', (request: { url?: string; headers: Record<string, string | string[] | undefined> }) => {
        if (request.url?.endsWith('/events') === true) resumedFrom.push(request.headers['last-event-id'] as string | undefined);
      });
      const writer = createOrchClient({ baseUrl: server.url, apiKey: h.keys.write });
      // A key read at each request, as the dashboard passes it.
      const reader = createOrchClient({ baseUrl: server.url, apiKey: () => h.keys.read, retryMs: 50 });
      const { runId } = await writer.startRun({ repo: repo.root, goal: 'write a.txt', testCmd: 'test -f a.txt' });

      const seen: OrchEvent[] = [];
      const droppedAfter: number[] = [];
      const statuses: string[] = [];
      for await (const event of reader.events(runId, { onStatus: (status) => statuses.push(status) })) {
        seen.push(event);
        // Drop every connection of the server: once while the agent works, once after it is done.
        if ((event.type === 'attempt.started' && droppedAfter.length === 0) || (event.type === 'attempt.finished' && droppedAfter.length === 1)) {
          droppedAfter.push(event.seq);
          server.server.closeAllConnections();
          if (droppedAfter.length === 1) writeFileSync(release, '');
        }
        if (isRunEnd(event)) break;
      }
      expect(seen.at(-1)?.type).toBe('run.succeeded');
      const stored = h.store.events.since(runId).map((e) => e.seq);
      expect(seen.map((e) => e.seq)).toEqual(stored.slice(0, stored.indexOf(seen.at(-1)?.seq ?? -1) + 1));
      expect(droppedAfter).toHaveLength(2);
      // Each reconnect asked for what came after the last event the client had received (at or after the drop).
      // The second drop may come after the run's last event already reached the client: then it needs no third.
      expect(resumedFrom.length).toBeGreaterThanOrEqual(2);
      expect(resumedFrom[0]).toBeUndefined();
      expect(Number(resumedFrom[1])).toBeGreaterThanOrEqual(droppedAfter[0] ?? Infinity);
      if (resumedFrom.length > 2) expect(Number(resumedFrom[2])).toBeGreaterThanOrEqual(droppedAfter[1] ?? Infinity);
      // What a page shows of the stream: each drop is a retry, then the stream is open again.
      expect(statuses.slice(0, 5)).toEqual(['connecting', 'open', 'retrying', 'connecting', 'open']);
      expect(await reader.waitForRun(runId)).toMatchObject({ id: runId, status: 'succeeded' });
    } finally {
      await server.close();
    }
  });

  it('takes the body the server checks, and answers with the report the engine makes', () => {
    // The answers are one set of types by construction (src/domain/api.ts); the request body is the one plain
    // type written beside its schema, so this keeps the two equal.
    expectTypeOf<StartRunBody>().toEqualTypeOf<z.input<typeof startRunBodySchema>>();
    expectTypeOf<RunReport>().toEqualTypeOf<ReturnType<Engine['report']>>();
  });
});
