// One pass over /proc/<pid>/stat for every process (Linux); elsewhere an empty table. Shared by the process-tree
// walk (tree.ts) and the resource sampler (resources.ts).
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Each live process's stat fields after its command name (which may hold spaces and parentheses), so index 0 is
 * the state, 1 the ppid, 2 the process group, 11/12 utime/stime and 21 the resident pages.
 */
export function procStatFields(): Map<number, string[]> {
  const table = new Map<number, string[]>();
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
      table.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}
