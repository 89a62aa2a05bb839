// Judging that cannot be gamed, end to end: held-out checks, the project's own check found, nothing merged
// unchecked, a red base, a flaky test, review under tournament. Real git, the real CLI, the fake command agent
// or the real Claude Code CLI against the scripted Anthropic server.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgent, runOrch } from '../helpers/orch-cli.ts';
import { bigGoodMath, claudeBinary, claudeEnv, goodMath, mathProject, useScriptedServers, type Report } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

/** The fake agent, with checks left as the test sets them (no allowUnchecked). */
const commandConfig = (plan: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ agent: 'command', agents: { command: { argv: [process.execPath, fakeAgent, '{prompt}'], env: { FAKE_AGENT: JSON.stringify(plan) } } }, sandbox: { mode: 'none' }, ...extra });
const claudeOnly = (): string => JSON.stringify({ agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0 } } });

const originalTest = mathProject['test/math.test.js'];
const write = (path: string, content: string) => ({ tool: 'Write', input: { file_path: `{{cwd}}/${path}`, content } });

interface Verdict {
  attemptId: string;
  passed: boolean;
  checks: { name: string; passed: boolean; flaky?: boolean; tests?: { passed: string[]; failed: string[] } }[];
  review: { pass: boolean } | null;
  judgement: { protectedFiles: string[]; heldOut: { passed: boolean }[] | null; baseRed: boolean; fixed: string[]; stillFailing: string[]; flaky: string[]; summary: string } | null;
}
interface JudgedReport extends Omit<Report, 'verdicts' | 'merges'> {
  verdicts: Verdict[];
  merges: { status: string; attemptId: string; message: string }[];
  run: Report['run'] & { result: { judging: { attemptsJudged: number; attemptsPassed: number; baseRed: boolean; flaky: string[]; review: { agreed: number; disagreed: string[] } | null } } };
}

describe('held-out checks', () => {
  it('best-of-3: the attempt that rewrites the test and the one that weakens it lose to the real fix with the largest diff', async () => {
    const rewritten = originalTest.replace('assert.equal(add(2, 3), 5)', 'assert.equal(add(2, 3), -1)');
    const weakened = originalTest.replace('assert.equal(add(2, 3), 5)', 'assert.ok(typeof add === "function")');
    // With one agent at a time the scripts are dealt to attempts 0, 1, 2 in order.
    const server = await serve({
      scripts: [
        { name: 'rewrites', turns: [write('test/math.test.js', rewritten), { text: 'done' }] },
        { name: 'weakens', turns: [write('test/math.test.js', weakened), { text: 'done' }] },
        { name: 'fixes', turns: [write('src/math.js', bigGoodMath), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeOnly() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-agents', '1', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
      timeoutMs: 240_000,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JudgedReport;
    const [rewrites, weakens, fixes] = report.attempts;
    const verdict = (id: string | undefined) => report.verdicts.find((v) => v.attemptId === id);
    // As the agents left them, the tests pass; with the original test restored, they fail.
    for (const cheat of [rewrites, weakens]) {
      expect(verdict(cheat?.id)).toMatchObject({ passed: false, judgement: { protectedFiles: ['test/math.test.js'] } });
      expect(verdict(cheat?.id)?.checks[0]?.passed).toBe(true);
      expect(verdict(cheat?.id)?.judgement?.heldOut?.[0]?.passed).toBe(false);
    }
    expect(verdict(fixes?.id)).toMatchObject({ passed: true, judgement: { protectedFiles: [] } });
    expect(report.merges[0]).toMatchObject({ status: 'merged', attemptId: fixes?.id });
    expect(await repo.git(['show', 'main:test/math.test.js'])).toBe(originalTest.trim());
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(bigGoodMath.trim());
    // The run says who changed the check files, and how many passed.
    expect(report.run.result.judging).toMatchObject({ attemptsJudged: 3, attemptsPassed: 1 });
    expect(report.run.reason).toContain('Changed check files: ');
    for (const cheat of [rewrites, weakens]) expect(report.run.reason).toContain(`${cheat?.id ?? ''} (test/math.test.js)`);
    expect(result.stderr).toContain("changes check files test/math.test.js; with the base's versions its checks fail");
    // The attempt branches keep what each agent did; and orch show names the changed check files.
    expect(await repo.git(['show', `${rewrites?.branch ?? ''}:test/math.test.js`])).toBe(rewritten.trim());
    const shown = await runOrch(['show', report.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain('test/math.test.js');
  });

  it('never merges a change to a test file unreviewed, even when both runs of the checks pass', async () => {
    // The agent fixes the code and also edits the test (harmlessly): the checks pass held out too, but no
    // reviewer passed the change to the test, so the result stays on a branch.
    const edited = `${originalTest}// a comment the agent added\n`;
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': commandConfig({ files: { 'src/math.js': goodMath, 'test/math.test.js': edited } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--target', 'main', '--test-cmd', 'node --test', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.verdicts[0]).toMatchObject({ passed: true, judgement: { protectedFiles: ['test/math.test.js'] } });
    expect(report.merges[0]?.status).toBe('left_on_branch');
    expect(report.merges[0]?.message).toContain('changes files that define the checks (test/math.test.js) and no reviewer passed the change');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(await repo.git(['show', `orch/${report.run.id}/result:test/math.test.js`])).toBe(edited.trim());
  });
});

describe('nothing merges unchecked by accident', () => {
  it("uses the project's own npm test script when no check is configured, and says so", async () => {
    const files = { ...mathProject, 'package.json': '{ "type": "module", "scripts": { "test": "node --test" } }\n', 'orch.config.json': commandConfig({ files: { 'src/math.js': goodMath } }) };
    const repo = await temp.repo({ files });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("checks: test `npm test` (found in package.json's test script");
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.verdicts[0]?.checks.map((c) => [c.name, c.passed])).toEqual([['test', true]]);
    expect(report.merges[0]?.status).toBe('merged');
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
  });

  it('leaves the result on orch/<run>/result when the project has no check at all, unless --allow-unchecked', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': commandConfig({ files: { 'feature.txt': 'done\n' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'add the feature', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('checks: none configured and none found in the project; the result will stay on its branch');
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.merges[0]?.status).toBe('left_on_branch');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(await repo.git(['show', `orch/${report.run.id}/result:feature.txt`])).toBe('done');

    const allowed = await runOrch(['run', 'add the feature', '--target', 'main', '--allow-unchecked', '--json'], { cwd: repo.root, home });
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(await repo.git(['show', 'main:feature.txt'])).toBe('done');
  });

  it("refuses an empty or blank --test-cmd with exit 2, changing nothing", async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': commandConfig({ files: { 'feature.txt': 'done\n' } }) } });
    const home = await temp.dir();
    const refsBefore = await repo.git(['for-each-ref']);
    for (const blank of ['', '   ']) {
      const result = await runOrch(['run', 'add the feature', '--test-cmd', blank], { cwd: repo.root, home });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('--test-cmd is empty');
    }
    const blankConfig = join(repo.dir, 'blank.json');
    await writeFile(blankConfig, JSON.stringify({ checks: { test: '  ' } }));
    const config = await runOrch(['run', 'add the feature', '--config', blankConfig], { cwd: repo.root, home });
    expect(config.exitCode).toBe(2);
    expect(config.stderr).toContain('a check command cannot be empty or blank');
    expect(await repo.git(['for-each-ref'])).toBe(refsBefore);
  });
});

describe('a baseline on the base', () => {
  it('does not reject an attempt for a failure that was already on the base, and says the base was red', async () => {
    const files = {
      ...mathProject,
      'test/legacy.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('legacy date parser', () => assert.equal(1, 2));\n",
      'orch.config.json': commandConfig({ files: { 'src/math.js': goodMath } }),
    };
    const repo = await temp.repo({ files });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--target', 'main', '--test-cmd', 'node --test', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/base [0-9a-f]{12} is RED: test \(.*legacy date parser.*\) already fail/);
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.verdicts[0]).toMatchObject({ passed: true, judgement: { baseRed: true, fixed: ['test: add'], stillFailing: ['test: legacy date parser'] } });
    expect(report.verdicts[0]?.checks[0]?.passed).toBe(false);
    expect(report.merges[0]?.status).toBe('merged');
    expect(report.run.reason).toContain('The base was already red');
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
  });
});

describe('flaky checks', () => {
  it('records a test that fails every other time as flaky, and does not let it decide', async () => {
    const state = join(await temp.dir(), 'flip');
    // Fails when the flag file is absent (and creates it), passes when present (and removes it).
    const flaky = `if [ -f '${state}' ]; then rm '${state}'; exit 0; else touch '${state}'; echo 'not ok 1 - sometimes'; exit 1; fi`;
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': commandConfig({ files: { 'feature.txt': 'done\n' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'add the feature', '--target', 'main', '--test-cmd', flaky, '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.verdicts[0]?.checks[0]).toMatchObject({ name: 'test', passed: true, flaky: true });
    expect(report.verdicts[0]).toMatchObject({ passed: true, judgement: { flaky: ['test'] } });
    expect(report.run.result.judging.flaky).toEqual(['test']);
    expect(result.stderr).toContain('flaky: test failed, then passed when run again');
    expect(report.merges[0]?.status).toBe('merged');
  });
});

describe('review under every strategy', () => {
  it('tournament with --review asks the reviewer for every attempt and says whether it agreed with the checks', async () => {
    const server = await serve({
      scripts: [
        { name: 'review', match: { prompt: 'You are the reviewer' }, turns: [{ text: '{"score": 8, "pass": true, "reasoning": "correct", "risks": []}' }] },
        { name: 'compare', match: { prompt: 'You are judging two attempts' }, turns: [{ text: '{"winner": "A", "reasoning": "A is as good."}' }] },
        { name: 'attempt', match: { prompt: 'one of several coding agents' }, turns: [write('src/math.js', goodMath), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeOnly() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'tournament', '-S', 'n=2', '--review', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
      timeoutMs: 240_000,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JudgedReport;
    expect(report.verdicts.map((v) => v.review?.pass)).toEqual([true, true]);
    expect(report.run.result.judging).toMatchObject({ attemptsJudged: 2, attemptsPassed: 2, review: { agreed: 2, disagreed: [] } });
    expect(report.run.reason).toContain('The reviewer agreed with the checks on all 2.');
    expect(report.merges[0]?.status).toBe('merged');
  });
});
