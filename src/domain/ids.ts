// Short, sortable, URL- and branch-safe identifiers: a time prefix (base36) and random suffix.
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

export type IdKind = 'run' | 'att' | 'tsk' | 'mrg' | 'vrd' | 'cmp' | 'cal';

export function newId(kind: IdKind, now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = randomBytes(5);
  let random = '';
  for (const byte of bytes) random += alphabet[byte % alphabet.length];
  return `${kind}_${time}${random}`;
}

/** Whether a string is a well-formed id: used before an id reaches a path, a branch name or a query. */
export function isId(value: string, kind?: IdKind): boolean {
  const match = /^(run|att|tsk|mrg|vrd|cmp|cal)_[0-9a-z]{14}$/.exec(value);
  return match !== null && (kind === undefined || match[1] === kind);
}
