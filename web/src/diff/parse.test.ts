import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from './parse.ts';

const patch = `diff --git a/src/math.js b/src/math.js
index 1111111..2222222 100644
--- a/src/math.js
+++ b/src/math.js
@@ -1,3 +1,3 @@ export
 // math
-export const add = (a, b) => a - b;
+export const add = (a, b) => a + b;
 export const one = 1;
diff --git a/NEW.md b/NEW.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/NEW.md
@@ -0,0 +1 @@
+hello
\\ No newline at end of file
diff --git a/old.txt b/renamed.txt
similarity index 100%
rename from old.txt
rename to renamed.txt
`;

describe('parseUnifiedDiff', () => {
  it('splits files, counts lines, numbers old and new lines, and reads the file status', () => {
    const [math, added, renamed] = parseUnifiedDiff(patch);
    expect(math).toMatchObject({ path: 'src/math.js', status: 'modified', insertions: 1, deletions: 1 });
    expect(math?.lines.map((l) => [l.kind, l.oldNo, l.newNo])).toEqual([
      ['hunk', undefined, undefined],
      ['ctx', 1, 1],
      ['del', 2, undefined],
      ['add', undefined, 2],
      ['ctx', 3, 3],
    ]);
    expect(added).toMatchObject({ path: 'NEW.md', status: 'added', insertions: 1, deletions: 0 });
    expect(added?.lines.at(-1)).toMatchObject({ kind: 'meta' });
    expect(renamed).toMatchObject({ path: 'renamed.txt', from: 'old.txt', status: 'renamed', lines: [] });
  });

  it('keeps lines that look like headers inside a hunk as content', () => {
    const [file] = parseUnifiedDiff('diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n--- not a header\n++++ nor this\n');
    expect(file?.lines.map((l) => [l.kind, l.text])).toEqual([
      ['hunk', '@@ -1 +1 @@'],
      ['del', '-- not a header'],
      ['add', '+++ nor this'],
    ]);
  });
});
