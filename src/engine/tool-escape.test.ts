import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { shellWords, toolEscapes } from './tool-escape.ts';

const worktree = '/home/u/.orch/worktrees/p/r1-a1';
const use = (tool: string, summary: string) => toolEscapes({ kind: 'tool_use', tool, summary }, worktree);

describe('toolEscapes', () => {
  it('flags file tools whose path is outside the worktree', () => {
    expect(use('Write', '/home/u/project/evil.txt')).toEqual([{ tool: 'Write', path: '/home/u/project/evil.txt' }]);
    expect(use('Read', '/home/u/.orch/credentials.json')).toEqual([{ tool: 'Read', path: '/home/u/.orch/credentials.json' }]);
    expect(use('Edit', '../r1-a2/src/x.js')).toEqual([{ tool: 'Edit', path: '../r1-a2/src/x.js' }]);
    expect(use('write_file', '~/.bashrc')).toEqual([{ tool: 'write_file', path: '~/.bashrc' }]);
    expect(use('file_change', `add ${worktree}/ok.txt, update /etc/hosts`)).toEqual([{ tool: 'file_change', path: '/etc/hosts' }]);
  });

  it('leaves paths inside the worktree and tools without paths alone', () => {
    expect(use('Write', `${worktree}/src/greet.js`)).toEqual([]);
    expect(use('Edit', 'src/a/../b.js')).toEqual([]);
    expect(use('Grep', '/api/users')).toEqual([]);
    expect(use('WebFetch', 'https://example.com/x/../y')).toEqual([]);
    expect(toolEscapes({ kind: 'text', text: 'I will write /etc/passwd' }, worktree)).toEqual([]);
  });

  it('flags, as a heuristic, absolute, home and climbing paths in shell commands', () => {
    expect(use('Bash', 'echo x >> ~/.bashrc && cat /etc/passwd > out.txt 2>/dev/null').map((e) => e.path)).toEqual(['~/.bashrc', '/etc/passwd']);
    expect(use('Bash', 'cd .. && touch x').map((e) => e.path)).toEqual(['..']);
    expect(use('command_execution', `cp a.txt "${worktree}/b.txt" && git config core.hooksPath=/tmp/h`).map((e) => e.path)).toEqual(['/tmp/h']);
    expect(use('Bash', 'npm test && ls src/../test')).toEqual([]);
  });

  it('expands ~ to the home directory', () => {
    expect(toolEscapes({ kind: 'tool_use', tool: 'Read', summary: '~/x' }, `${homedir()}/wt`)).toEqual([{ tool: 'Read', path: '~/x' }]);
  });
});

describe('shellWords', () => {
  it('splits on shell punctuation and quotes', () => {
    expect(shellWords(`a>/tmp/x;b|'/etc/y' "~/z"`)).toEqual(['/tmp/x', '/etc/y', '~/z']);
  });
});
