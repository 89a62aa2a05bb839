// One best-of-n in a process of its own, running orch as built (dist/), not through tsx: its peak memory is
// orch's own (tsx's loader alone adds some 30 MB). Prints one line of JSON for bench/best-of.ts.
// Usage: node bench/best-of-child.mjs <repo> <config> <home> <n> [auto|main|thread]  (where children are started)
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
/* global AbortController */
import { Engine } from '../dist/engine/run/engine.js';
import { setSpawnPlacement } from '../dist/process/spawner.js';
import { Store } from '../dist/store/store.js';

const [repo, config, home, nText, placement = 'auto'] = process.argv.slice(2);
const n = Number(nText);
setSpawnPlacement(placement);
const store = new Store(join(home, 'orch.db'));
const engine = new Engine({ store, home, maxAgents: 8 });
// How long the event loop was held up, p99: what an event on its way to a dashboard waits in this process.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const cpu = process.cpuUsage();
const started = performance.now();
const result = await engine.run(
  { repoPath: repo, goal: `best of ${n}`, strategy: 'best-of-n', params: { n }, target: 'main', configPath: config, testCmd: 'true' },
  new AbortController().signal,
);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
loopDelay.disable();
store.close();
if (result.run.status !== 'succeeded') throw new Error(`best-of-${n} ended ${result.run.status}: ${result.run.reason ?? ''}`);
console.log(
  JSON.stringify({
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
