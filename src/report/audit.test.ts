import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditTrail } from './audit.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(): { repo: string; outside: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'orch-audit-')));
  dirs.push(base);
  const repo = join(base, 'repo');
  const outside = join(base, 'outside');
  mkdirSync(repo);
  mkdirSync(outside);
  return { repo, outside };
}

describe('the audit trail', () => {
  it('writes its pages under <repo>/.orch/runs/<run>', () => {
    const { repo } = setup();
    const path = new AuditTrail(repo, 'run_1').write('attempts/att_1.md', '# attempt\n');
    expect(path).toBe(join(repo, '.orch', 'runs', 'run_1', 'attempts', 'att_1.md'));
    expect(readFileSync(path, 'utf8')).toBe('# attempt\n');
  });

  for (const [name, link] of [
    ['.orch', ['.orch']],
    ['.orch/runs', ['.orch', 'runs']],
    ['.orch/runs/<run>', ['.orch', 'runs', 'run_1']],
    ['a folder inside the run', ['.orch', 'runs', 'run_1', 'attempts']],
  ] as const) {
    it(`refuses to write through a symbolic link at ${name}`, () => {
      const { repo, outside } = setup();
      mkdirSync(join(repo, ...link.slice(0, -1)), { recursive: true });
      symlinkSync(outside, join(repo, ...link));
      expect(() => new AuditTrail(repo, 'run_1').write('attempts/att_1.md', 'x')).toThrow(/is a symbolic link; orch will not write its audit trail through it/);
      expect(readdirSync(outside)).toEqual([]);
    });
  }

  it('refuses to write a page that is a symbolic link', () => {
    const { repo, outside } = setup();
    mkdirSync(join(repo, '.orch', 'runs', 'run_1'), { recursive: true });
    symlinkSync(join(outside, 'stolen.md'), join(repo, '.orch', 'runs', 'run_1', 'goal.md'));
    expect(() => new AuditTrail(repo, 'run_1').write('goal.md', 'x')).toThrow(/goal\.md is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
