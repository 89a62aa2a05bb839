// The process groups a process's descendants run in. Most agents keep their tools in the agent's own group, but
// some (Gemini CLI, OpenCode) start each shell command in a group of its own: killing the agent's group alone
// would leave those running. Read from /proc (Linux); elsewhere only the agent's own group is known.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  ppid: number;
  pgid: number;
}

function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

/** Every process group that `root` or one of its descendants leads or belongs to, `root`'s own first. */
export function descendantGroups(root: number): number[] {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, info] of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  const groups = new Set<number>([root]);
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    const info = table.get(pid);
    if (info !== undefined && info.pgid > 1) groups.add(info.pgid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...groups];
}
