import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../store/store.ts';
import { parsePortfolio } from '../config.ts';
import { backlogSection } from './claude-md.ts';
import { parseChecklist } from './checklist.ts';
import { importBacklog } from './index.ts';

describe('backlog sources', () => {
  it('reads open checklist items with type, priority and description; ticked ones are done', () => {
    const items = parseChecklist('# Backlog\n\n- [ ] fix: null check in parser (P1)\n  It drops nulls.\n  Twice.\n- [x] shipped already\n- [ ] [docs] write the guide\n- plain bullet\n', { requireCheckbox: true });
    expect(items).toEqual([
      { sourceId: 'null check in parser', title: 'null check in parser', description: 'It drops nulls.\nTwice.', type: 'fix', priority: 1 },
      { sourceId: 'write the guide', title: 'write the guide', description: '', type: 'docs', priority: 2 },
    ]);
  });

  it("finds CLAUDE.md's backlog section and stops at the next heading of its level", () => {
    const section = backlogSection('# Project\n\nintro\n\n## Backlog\n\n- add tests\n### details\n- sub item\n## Style\n\n- not a task\n');
    expect(parseChecklist(section ?? '', { requireCheckbox: false }).map((i) => i.title)).toEqual(['add tests', 'sub item']);
    expect(backlogSection('# Nothing here\n- a\n')).toBeNull();
  });

  it('imports idempotently and never edits the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-backlog-'));
    const text = '- [ ] one\n- [ ] two\n';
    writeFileSync(join(dir, 'BACKLOG.md'), text);
    const store = new Store(':memory:');
    const project = parsePortfolio(JSON.stringify({ projects: [{ name: 'p', path: dir, backlog_source: 'backlog_file' }] }), 'p', '/').projects[0];
    if (project === undefined) throw new Error('no project');
    expect(await importBacklog(store, project)).toBe(2);
    expect(await importBacklog(store, project)).toBe(0);
    writeFileSync(join(dir, 'BACKLOG.md'), `${text}- [ ] Three\n`);
    expect(await importBacklog(store, project)).toBe(1);
    expect(store.backlog.list('p').map((t) => [t.title, t.status, t.source])).toEqual([
      ['one', 'pending', 'backlog_file'],
      ['two', 'pending', 'backlog_file'],
      ['Three', 'pending', 'backlog_file'],
    ]);
    expect(readFileSync(join(dir, 'BACKLOG.md'), 'utf8')).toBe(`${text}- [ ] Three\n`);
    store.close();
  });
});
