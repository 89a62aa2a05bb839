// claude_md: the backlog section of CLAUDE.md (or AGENTS.md): under a heading that says "backlog" (or "todo"),
// every bullet up to the next heading of the same or a higher level is an item.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseChecklist } from './checklist.ts';
import type { BacklogItem, BacklogSource } from './source.ts';

const heading = /^(#{1,6})\s+(.*)$/;

export function backlogSection(markdown: string): string | null {
  const lines = markdown.split(/\r?\n/);
  let level = 0;
  const body: string[] = [];
  for (const line of lines) {
    const match = heading.exec(line);
    if (level === 0) {
      if (match !== null && /\b(backlog|to-?do)\b/i.test(match[2] ?? '')) level = match[1]?.length ?? 1;
      continue;
    }
    if (match !== null && (match[1]?.length ?? 7) <= level) break;
    body.push(line);
  }
  return level === 0 ? null : body.join('\n');
}

export function claudeMdSource(files: readonly string[] = ['CLAUDE.md', 'AGENTS.md']): BacklogSource {
  return {
    name: 'claude_md',
    async read(projectRoot) {
      const items: BacklogItem[] = [];
      for (const file of files) {
        const text = await readFile(join(projectRoot, file), 'utf8').catch(() => null);
        const section = text === null ? null : backlogSection(text);
        if (section !== null) items.push(...parseChecklist(section, { requireCheckbox: false }));
      }
      return items;
    },
  };
}
