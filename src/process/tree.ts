// The process groups a process's descendants run in. Most agents keep their tools in the agent's own group, but
// some (Gemini CLI, OpenCode) start each shell command in a group of its own: killing the agent's group alone
// would leave those running. Read from /proc (Linux); elsewhere only the agent's own group is known.
import { procStatFields } from './proc-stat.ts';

interface ProcInfo {
  ppid: number;
  pgid: number;
}

function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  for (const [pid, f] of procStatFields()) table.set(pid, { ppid: Number(f[1]), pgid: Number(f[2]) });
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
