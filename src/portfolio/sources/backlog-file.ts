// backlog_file: a markdown checklist in the project (BACKLOG.md by default); every open `- [ ]` line is an item.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseChecklist } from './checklist.ts';
import type { BacklogSource } from './source.ts';

export function backlogFileSource(file: string): BacklogSource {
  return {
    name: 'backlog_file',
    async read(projectRoot) {
      const text = await readFile(join(projectRoot, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      return parseChecklist(text, { requireCheckbox: true });
    },
  };
}
