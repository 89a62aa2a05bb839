import { describe, expect, it } from 'vitest';
import { activityLine, oneLine, shortenMiddle } from './format.ts';

describe('oneLine', () => {
  it('removes terminal escape sequences from agent text', () => {
    expect(oneLine('set \u001b]52;c;ZXZpbA==\u0007clipboard\r\nnext')).toBe('set clipboard ⏎ next');
    expect(activityLine({ kind: 'text', text: '\u001b[2J\u001b]0;title\u0007hello' })).toBe('hello');
  });
});

describe('shortenMiddle', () => {
  const width = (text: string) => [...text].length;

  it('leaves text that fits alone', () => {
    expect(shortenMiddle('Read src/a.ts', 30)).toBe('Read src/a.ts');
  });

  it('gives up a path’s directories before its file name', () => {
    expect(shortenMiddle('Edit /home/user/project/src/tui/components/attempt-table.tsx', 30)).toBe('Edit …/attempt-table.tsx');
    expect(shortenMiddle('Read /a/b/c/d/e/f/g/h/index.ts', 16)).toBe('Read …/index.ts');
  });

  it('keeps the file name when even that is too long with the tool, cutting before it', () => {
    const cut = shortenMiddle('Edit /home/user/project/src/tui/components/attempt-table.tsx', 20);
    expect(cut.endsWith('attempt-table.tsx')).toBe(true);
    expect(width(cut)).toBe(20);
  });

  it('keeps the file name of a command with flags after it', () => {
    const cut = shortenMiddle('Bash npm test -- src/very/long/path/to/file.test.ts --reporter verbose', 30);
    expect(cut).toContain('file.test.ts');
    expect(cut.startsWith('Bash')).toBe(true);
    expect(width(cut)).toBeLessThanOrEqual(30);
  });

  it('keeps the extension of a file name longer than the room', () => {
    const cut = shortenMiddle('Write /x/y/an-extremely-long-file-name-that-does-not-fit.ts', 20);
    expect(cut.endsWith('.ts')).toBe(true);
    expect(width(cut)).toBeLessThanOrEqual(20);
  });

  it('cuts plain text in the middle, and never exceeds the width', () => {
    expect(shortenMiddle('a plain sentence of text that is much too long for this', 20)).toBe('a plain s…g for this');
    for (let w = 0; w < 60; w++) expect(width(shortenMiddle('Edit C:\\Users\\me\\src\\components\\very-long-name.tsx (12 lines)', w))).toBeLessThanOrEqual(w);
  });
});
