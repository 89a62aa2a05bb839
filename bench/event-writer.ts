// A process that is not the server appending events to the store at a steady pace, as an `orch run` in another
// terminal does: bench/live.ts measures how long each takes to reach a dashboard.
import { setTimeout as sleep } from 'node:timers/promises';
import { Store } from '../src/store/store.ts';

const [dbPath, countText, gapText] = process.argv.slice(2);
const store = new Store(dbPath ?? '');
for (let i = 0; i < Number(countText); i++) {
  store.events.append({ runId: null, type: 'bench.tick', data: { i, sentAt: Date.now() } });
  await sleep(Number(gapText)); // the pace of the feed, not synchronisation
}
store.close();
