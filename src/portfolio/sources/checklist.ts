// Reading markdown checklists (`- [ ] fix: the parser drops nulls`): open items become backlog items; ticked ones
// (`- [x]`) are done and skipped; indented lines under an item are its description.
import { backlogTaskTypes, type BacklogTaskType } from '../../domain/backlog.ts';
import type { BacklogItem } from './source.ts';

const itemLine = /^(\s*)[-*+]\s+(?:\[( |x|X)\]\s+)?(.+?)\s*$/;
const typePrefix = new RegExp(`^(?:\\[(${backlogTaskTypes.join('|')})\\]|(${backlogTaskTypes.join('|')}):)\\s*`, 'i');
const priorityMark = /\s*\((?:P|priority\s*)([1-9])\)\s*$/i;

/** A title's identity for deduplication: case, spacing and the markers orch reads are not part of it. */
export const normaliseTitle = (title: string): string => title.toLowerCase().replace(/\s+/g, ' ').trim();

export function parseChecklist(markdown: string, options: { requireCheckbox: boolean }): BacklogItem[] {
  const items: BacklogItem[] = [];
  let current: { item: BacklogItem; indent: number } | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const match = itemLine.exec(line);
    const indent = match?.[1]?.length ?? 0;
    if (match !== null && (current === null || indent <= current.indent)) {
      current = null;
      const box = match[2];
      if (box === undefined && options.requireCheckbox) continue;
      if (box === 'x' || box === 'X') continue;
      let text = match[3] ?? '';
      let type: BacklogTaskType = 'code';
      let priority = 2;
      const typed = typePrefix.exec(text);
      if (typed !== null) {
        type = (typed[1] ?? typed[2] ?? 'code').toLowerCase() as BacklogTaskType;
        text = text.slice(typed[0].length);
      }
      const marked = priorityMark.exec(text);
      if (marked !== null) {
        priority = Number(marked[1]);
        text = text.slice(0, marked.index);
      }
      if (text.trim() === '') continue;
      const item: BacklogItem = { sourceId: normaliseTitle(text), title: text.trim().slice(0, 200), description: '', type, priority };
      items.push(item);
      current = { item, indent };
      continue;
    }
    if (current !== null && line.trim() !== '' && /^\s/.test(line)) current.item.description += `${current.item.description ? '\n' : ''}${line.trim()}`;
    else if (current !== null && line.trim() !== '') current = null;
  }
  return items;
}
