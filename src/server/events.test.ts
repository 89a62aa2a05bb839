// The event stream in-process: resume points, heartbeats, the replay/live race. Dropped connections over a real
// socket, through orch/client, are in test/e2e/api-client.test.ts (the client is a sibling layer of the server).
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../../test/helpers/api-server.ts';
import { readEventsUntil } from '../../test/helpers/sse.ts';

const { harness } = useApiHarness();

describe('event stream', () => {
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
    // The stream is live (it sent a heartbeat): an event written now must reach it.
    h.store.events.append({ runId: null, type: 'test.live', data: {} });
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
