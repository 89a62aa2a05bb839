import { describe, expect, it } from 'vitest';
import { checkFileKind, classifyChanges } from './check-files.ts';
import { detectProjectCheck } from './detect-checks.ts';

const rules = { commands: ['npm test', ['make', 'lint'], './scripts/check.sh'], protect: ['qa/**'] };

describe('files that define the checks', () => {
  it('knows test files by the conventions of the common ecosystems', () => {
    for (const path of ['test/math.test.js', 'src/a.spec.ts', 'tests/helpers.py', 'pkg/test_util.py', 'x/y_test.go', 'test.sh', 'src/__tests__/a.js']) {
      expect(checkFileKind(path, rules), path).toBe('test');
    }
    for (const path of ['src/math.js', 'README.md', 'src/contest.py', 'latest/x.js']) expect(checkFileKind(path, rules), path).toBeUndefined();
  });

  it('knows the check tools’ config, scripts the commands name, and the globs from config', () => {
    for (const path of ['package.json', 'Makefile', 'vitest.config.ts', 'conftest.py', 'eslint.config.js', 'scripts/check.sh', 'qa/golden.txt']) {
      expect(checkFileKind(path, rules), path).toBe('config');
    }
    // package.json holds the check only when the check goes through npm.
    expect(checkFileKind('package.json', { commands: ['pytest'], protect: [] })).toBeUndefined();
  });

  it('counts a file as a check script only where the command runs it, not where it merely reads it', () => {
    expect(checkFileKind('tools/verify.py', { commands: ['python3 -u tools/verify.py --strict'], protect: [] })).toBe('config');
    expect(checkFileKind('run.sh', { commands: ['npm ci && ./run.sh'], protect: [] })).toBe('config');
    // The check reads the work being checked: that file is the agent's to change.
    expect(checkFileKind('src/greet.js', { commands: ['grep -q hello src/greet.js'], protect: [] })).toBeUndefined();
  });

  it('lets added test files stay, and protects changed or deleted ones', () => {
    const changes = [
      { path: 'test/new.test.js', kind: 'added' as const },
      { path: 'test/math.test.js', kind: 'modified' as const },
      { path: 'test/old.test.js', kind: 'deleted' as const },
      { path: 'conftest.py', kind: 'added' as const },
    ];
    expect(classifyChanges(changes, rules)).toEqual({ protectedFiles: ['test/math.test.js', 'test/old.test.js', 'conftest.py'], addedTests: ['test/new.test.js'] });
  });
});

describe("the project's own check", () => {
  const project = (files: Record<string, string>) => detectProjectCheck((path) => Promise.resolve(files[path] ?? null));

  it('finds npm test, pytest, go test, cargo test and make test', async () => {
    expect(await project({ 'package.json': '{"scripts":{"test":"node --test"}}' })).toEqual({ command: ['npm', 'test'], foundIn: "package.json's test script" });
    expect(await project({ 'pyproject.toml': '[tool.pytest.ini_options]\n' })).toMatchObject({ command: ['pytest'] });
    expect(await project({ 'go.mod': 'module x\n' })).toMatchObject({ command: ['go', 'test', './...'] });
    expect(await project({ 'Cargo.toml': '[package]\n' })).toMatchObject({ command: ['cargo', 'test'] });
    expect(await project({ Makefile: 'test:\n\tpytest\n' })).toEqual({ command: ['make', 'test'], foundIn: "Makefile's test target" });
  });

  it("ignores npm init's placeholder script and finds nothing in a project without checks", async () => {
    expect(await project({ 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' })).toBeUndefined();
    expect(await project({ 'README.md': 'hi' })).toBeUndefined();
  });
});
