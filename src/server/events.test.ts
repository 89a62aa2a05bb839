// The event stream over a real socket: dropped connections, Last-Event-ID, heartbeats.
import { describe, expect, it } from 'vitest';
import { createOrchClient } from '../client/index.ts';
import type { OrchEvent } from '../domain/records.ts';
import { useApiHarness } from '../../test/helpers/api-server.ts';
import { fakeAgentConfig } from '../../test/helpers/orch-cli.ts';
import { isRunEnd, readEventsUntil } from '../../test/helpers/sse.ts';
import { listen } from './listen.ts';

const { temp, harness } = useApiHarness();

describe('event stream', () => {
  it('a client that loses its connection mid-run reconnects with Last-Event-ID and sees no gap and no duplicate', async () => {
    const h = await harness();
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'a.txt': 'a\n' }, print: ['one', 'two'], sleepMs: 1500 }) } });
    const server = await listen(h.app, { port: 0 });
    try {
      const resumedFrom: (string | undefined)[] = [];
      server.server.on('request', (request: { url?: string; headers: Record<string, string | string[] | undefined> }) => {
        if (request.url?.endsWith('/events') === true) resumedFrom.push(request.headers['last-event-id'] as string | undefined);
      });
      const writer = createOrchClient({ baseUrl: server.url, apiKey: h.keys.write });
      const reader = createOrchClient({ baseUrl: server.url, apiKey: h.keys.read, retryMs: 50 });
      const { runId } = await writer.startRun({ repo: repo.root, goal: 'write a.txt', testCmd: 'test -f a.txt' });

      const seen: OrchEvent[] = [];
      const droppedAfter: number[] = [];
      for await (const event of reader.events(runId)) {
        seen.push(event);
        // Drop every connection of the server: once while the agent works, once after it is done.
        if ((event.type === 'attempt.started' && droppedAfter.length === 0) || (event.type === 'attempt.finished' && droppedAfter.length === 1)) {
          droppedAfter.push(event.seq);
          server.server.closeAllConnections();
        }
        if (isRunEnd(event)) break;
      }
      expect(seen.at(-1)?.type).toBe('run.succeeded');
      const stored = h.store.events.since(runId).map((e) => e.seq);
      expect(seen.map((e) => e.seq)).toEqual(stored.slice(0, stored.indexOf(seen.at(-1)?.seq ?? -1) + 1));
      expect(droppedAfter).toHaveLength(2);
      // Each reconnect asked for what came after the last event the client had received (at or after the drop).
      expect(resumedFrom).toHaveLength(3);
      expect(resumedFrom[0]).toBeUndefined();
      expect(Number(resumedFrom[1])).toBeGreaterThanOrEqual(droppedAfter[0] ?? Infinity);
      expect(Number(resumedFrom[2])).toBeGreaterThanOrEqual(droppedAfter[1] ?? Infinity);
      expect(await reader.waitForRun(runId)).toMatchObject({ id: runId, status: 'succeeded' });
    } finally {
      await server.close();
    }
  });

  it('starts after ?lastEventId= or the Last-Event-ID header, and sends heartbeats while idle', async () => {
    const h = await harness();
    const events = [1, 2, 3].map((n) => h.store.events.append({ runId: null, type: 'test.event', data: { n } }));
    const after = events[0]?.seq ?? 0;
    const byQuery = await readEventsUntil(await h.call('GET', `/api/v1/events?lastEventId=${after}`, { key: h.keys.read }), (e) => e.seq === events[2]?.seq);
    expect(byQuery.map((e) => e.data['n'])).toEqual([2, 3]);
    const byHeader = await readEventsUntil(await h.call('GET', '/api/v1/events?lastEventId=0', { key: h.keys.read, headers: { 'last-event-id': String(events[1]?.seq) } }), () => true);
    expect(byHeader.map((e) => e.data['n'])).toEqual([3]);

    const live = await h.call('GET', `/api/v1/events?lastEventId=${events[2]?.seq}`, { key: h.keys.read });
    const body = live.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keep-alive')) text += (await body?.read())?.value ?? '';
    setTimeout(() => h.store.events.append({ runId: null, type: 'test.live', data: {} }), 10);
    while (!text.includes('event: test.live')) text += (await body?.read())?.value ?? '';
    await body?.cancel();
    expect(text).not.toContain('test.event');
  });

  it('loses nothing between the replay of a long backlog and the live events written meanwhile', async () => {
    const h = await harness();
    for (let n = 0; n < 1200; n++) h.store.events.append({ runId: null, type: 'test.backlog', data: { n } });
    const response = await h.call('GET', '/api/v1/events', { key: h.keys.read });
    let live = 0;
    const timer = setInterval(() => {
      live++;
      h.store.events.append({ runId: null, type: live === 40 ? 'test.end' : 'test.live', data: { live } });
      if (live === 40) clearInterval(timer);
    }, 1);
    const seen = await readEventsUntil(response, (e) => e.type === 'test.end');
    expect(seen.map((e) => e.seq)).toEqual(h.store.events.since(null, 0, 5000).map((e) => e.seq));
  });
});
