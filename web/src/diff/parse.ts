// A unified diff (git diff output) split into files and hunks, with old and new line numbers.

export type DiffLineKind = 'add' | 'del' | 'ctx' | 'hunk' | 'meta';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  oldNo?: number;
  newNo?: number;
}

export interface DiffFile {
  path: string;
  /** Set when the file was renamed or copied. */
  from?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';
  insertions: number;
  deletions: number;
  lines: DiffLine[];
}

const unquote = (path: string): string => path.replace(/^"(.*)"$/, '$1');

function pathsOf(header: string): { a: string; b: string } {
  const match = /^diff --git (?:"?a\/)(.+?)"? (?:"?b\/)(.+?)"?$/.exec(header);
  return match ? { a: unquote(match[1] ?? ''), b: unquote(match[2] ?? '') } : { a: header, b: header };
}

export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;

  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const { a, b } = pathsOf(line);
      file = { path: b, status: 'modified', insertions: 0, deletions: 0, lines: [] };
      if (a !== b) {
        file.from = a;
        file.status = 'renamed';
      }
      files.push(file);
      inHunk = false;
      continue;
    }
    if (file === undefined) continue;
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      inHunk = true;
      file.lines.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('Binary files')) file.status = 'binary';
      continue;
    }
    if (line.startsWith('+')) {
      file.insertions++;
      file.lines.push({ kind: 'add', text: line.slice(1), newNo: newNo++ });
    } else if (line.startsWith('-')) {
      file.deletions++;
      file.lines.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++ });
    } else if (line.startsWith(' ')) {
      file.lines.push({ kind: 'ctx', text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
    } else if (line.startsWith('\\')) {
      file.lines.push({ kind: 'meta', text: line });
    }
  }
  return files;
}
