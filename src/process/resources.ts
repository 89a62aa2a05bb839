// What an agent's process tree uses: resident memory and CPU, read from /proc (Linux) for the agent and every
// process under it (its tools, a sandbox's children). Cheap on purpose: one pass over /proc every few seconds.
// Elsewhere (no /proc) nothing is sampled.
import { procStatFields } from './proc-stat.ts';

/** Linux's clock ticks per second (USER_HZ) and page size on the machines orch runs on (x86-64, arm64). */
const ticksPerSecond = 100;
const pageBytes = 4096;

interface ProcUsage {
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

/** One pass over /proc serves every sampler that asks within this long (ten agents, one scan). */
const shareMs = 500;
let lastScan: { at: number; table: Map<number, ProcUsage> } | undefined;

/** A recent scan that knows `root`; a fresh one when the shared scan is old or was taken before `root` started. */
function usageTable(root: number): { at: number; table: Map<number, ProcUsage> } {
  const now = Date.now();
  if (lastScan !== undefined && now - lastScan.at < shareMs && lastScan.table.has(root)) return lastScan;
  lastScan = { at: now, table: scanProc() };
  return lastScan;
}

function scanProc(): Map<number, ProcUsage> {
  const table = new Map<number, ProcUsage>();
  // Fields: ppid(1) ... utime(11) stime(12) ... rss(21).
  for (const [pid, f] of procStatFields()) table.set(pid, { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) });
  return table;
}

export interface TreeUsage {
  /** Resident memory of the root and its descendants together. */
  rssBytes: number;
  /** CPU time (user + system) the live processes of the tree have used so far. */
  cpuMs: number;
  processes: number;
  /** When /proc was read (a scan is shared by the samplers that ask within a moment of each other). */
  at: number;
}

/** The usage of `root` and every process under it; null when `root` is gone or there is no /proc. */
export function treeUsage(root: number): TreeUsage | null {
  const { at, table } = usageTable(root);
  if (!table.has(root)) return null;
  const children = new Map<number, number[]>();
  for (const [pid, info] of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  const usage: TreeUsage = { rssBytes: 0, cpuMs: 0, processes: 0, at };
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const info = table.get(pid);
    if (info === undefined) continue;
    usage.rssBytes += info.rssPages * pageBytes;
    usage.cpuMs += (info.cpuTicks * 1000) / ticksPerSecond;
    usage.processes++;
    queue.push(...(children.get(pid) ?? []));
  }
  return usage;
}

export interface ResourceSample {
  rssBytes: number;
  /** CPU used since the previous sample (the first: since the sampler started), in % of one core. */
  cpuPercent: number;
  processes: number;
}

/**
 * Sample `root`'s tree every `everyMs` (the first after `firstMs`) until stopped or the root is gone. CPU is the
 * difference between two readings: a process that ended in between takes its time with it, so it is a floor.
 */
export function sampleTree(root: number, onSample: (sample: ResourceSample) => void, options: { firstMs?: number; everyMs?: number } = {}): () => void {
  let previous = { at: Date.now(), cpuMs: 0 };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const take = () => {
    if (stopped) return;
    const usage = treeUsage(root);
    if (usage === null) return;
    // CPU over the time between the two readings of /proc (not between the calls: a shared scan may be older).
    if (usage.at > previous.at) {
      const cpuPercent = Math.max(0, ((usage.cpuMs - previous.cpuMs) / (usage.at - previous.at)) * 100);
      previous = { at: usage.at, cpuMs: usage.cpuMs };
      onSample({ rssBytes: usage.rssBytes, cpuPercent: Math.round(cpuPercent * 10) / 10, processes: usage.processes });
    }
    timer = setTimeout(take, options.everyMs ?? 2000);
    timer.unref();
  };
  timer = setTimeout(take, options.firstMs ?? 500);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
