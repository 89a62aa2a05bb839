// Live means live: an event written by another process (an `orch run` in a terminal), from its commit to a
// client of the API's SSE stream on `orch serve`, p50/p99; and the server's CPU while idle with a client attached.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Store } from '../src/store/store.ts';
import { orchEntry, percentile, report, root, scratchDir } from './lib.ts';

const events = 200;
const gapMs = 20;

/** utime + stime of a process in ms, from /proc (clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function benchLive(): Promise<void> {
  const dir = scratchDir('live');
  const home = join(dir, 'home');
  const db = join(home, 'orch.db');
  const setup = new Store(db);
  const key = setup.apiKeys.create('bench', ['read']).key;
  setup.close();
  const server = spawn(process.execPath, [...orchEntry, 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, ORCH_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        const found = /listening on (\S+)/.exec(chunk.toString());
        if (found?.[1]) resolve(found[1]);
      });
      server.once('exit', () => reject(new Error('orch serve exited')));
    });
    const delays: number[] = [];
    const controller = new AbortController();
    const response = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    const body = response.body as AsyncIterable<Uint8Array> | null;
    if (body === null) throw new Error('no event stream');
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const value of body) {
          buffer += decoder.decode(value, { stream: true });
          for (let cut = buffer.indexOf('\n\n'); cut !== -1; cut = buffer.indexOf('\n\n')) {
            const message = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = /^data: (.*)$/m.exec(message)?.[1];
            const sentAt = data === undefined ? undefined : (JSON.parse(data) as { data?: { sentAt?: number } }).data?.sentAt;
            if (sentAt !== undefined) delays.push(Date.now() - sentAt);
          }
        }
      } catch {
        // aborted at the end of the measurement
      }
    })();
    // Idle first: a client attached, nothing happening.
    const idleMs = 5_000;
    const before = cpuMsOf(server.pid ?? 0);
    await sleep(idleMs); // a measuring window, not synchronisation
    const idleShare = (cpuMsOf(server.pid ?? 0) - before) / idleMs;
    const writer = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'bench/event-writer.ts'), db, String(events), String(gapMs)], { stdio: 'ignore' });
    await new Promise((done) => writer.once('exit', done));
    const deadline = Date.now() + 10_000;
    while (delays.length < events && Date.now() < deadline) await sleep(20);
    controller.abort();
    await reading;
    console.log(`live events from another process to the API stream of orch serve (${delays.length}/${events} events, one every ${gapMs} ms)`);
    report('event → SSE client, p50', `${percentile(delays, 50).toFixed(0)} ms`, '100 ms (the goal for p99)', percentile(delays, 50) / 100);
    report('event → SSE client, p99', `${percentile(delays, 99).toFixed(0)} ms`, '100 ms (the goal)', percentile(delays, 99) / 100, 1);
    report('server CPU while idle, a client attached', `${(idleShare * 100).toFixed(2)} % of a core`, '2 % of a core (the goal)', idleShare / 0.02, 1);
  } finally {
    server.kill('SIGINT');
  }
}
