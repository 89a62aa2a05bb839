// Goals: empty or over 1 MiB is refused; any other text works byte for byte — other scripts, emoji, combining marks,
// shell metacharacters, leading dashes — and never reaches a shell: the agent gets exactly the prompt orch built.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/domain/errors.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { attemptPrompt } from '../../src/engine/attempt/prompt.ts';
import { Store } from '../../src/store/store.ts';
import { caseCounter, createStore, expectRefusedWithoutChange, expectRunSucceeds, okConfig, repoState, runsRecorded, useSuiteTemp, type RunJson } from '../helpers/bad-input.ts';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useSuiteTemp();
const count = caseCounter('goals');
let repo: TempRepo;
let home: string;

beforeAll(async () => {
  repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
  home = join(await temp.dir(), 'home');
  createStore(home);
});

/** Run `goal` with the fake agent in a fresh repository; the run succeeds, and the goal comes back byte for byte. */
async function runGoal(goal: string, options: { argv?: string[]; env?: Record<string, string> } = {}): Promise<{ report: RunJson; own: TempRepo }> {
  const own = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
  const ownHome = join(own.dir, 'home');
  const promptFile = join(own.dir, 'prompt.txt');
  const report = await expectRunSucceeds(options.argv ?? ['run', goal], { cwd: own.root, home: ownHome, env: { FAKE_AGENT_PROMPT_FILE: promptFile, ...options.env } });
  expect(Buffer.from(report.run.goal)).toEqual(Buffer.from(goal));
  const shown = await runOrch(['show', report.run.id, '--json'], { cwd: own.root, home: ownHome });
  expect(shown.exitCode, shown.stderr).toBe(0);
  expect(Buffer.from((JSON.parse(shown.stdout) as RunJson).run.goal)).toEqual(Buffer.from(goal));
  // The agent's argv[2], as it arrived: the prompt orch renders from the goal, nothing added, nothing expanded.
  expect(await readFile(promptFile)).toEqual(Buffer.from(attemptPrompt(goal)));
  expect(await own.git(['show', 'main:x.txt'])).toBe('x');
  return { report, own };
}

describe.concurrent('goals orch refuses', () => {
  for (const [name, goal] of [
    ['an empty goal', ''],
    ['a goal of only whitespace', '  \n\t  '],
  ] as const) {
    it(name, async () => {
      count();
      await expectRefusedWithoutChange({ args: ['run', goal], message: /The goal is empty[\s\S]*Say what the agents should do/, root: repo.root, home });
    });
  }

  for (const [name, goal] of [
    ['a goal of zero-width spaces and joiners', '\u200B\u200C\u200D\u2060\uFEFF'],
    ['a goal of direction marks and bidi controls', '\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u061C'],
    ['a goal of exotic white space and fillers', '\u00A0\u2003\u3000\u3164\u115F\u180E\uFE0F\n\t'],
  ] as const) {
    it(`${name} (was a run whose agent got no task)`, async () => {
      count();
      await expectRefusedWithoutChange({ args: ['run', goal], message: /The goal is empty: it holds only invisible characters[\s\S]*visible words/, root: repo.root, home });
    });
  }

  it('a check command of only invisible characters', async () => {
    count();
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--test-cmd', '\u200B\u00A0'], message: /--test-cmd is empty/, root: repo.root, home });
  });

  // Linux caps one argv element at 128 KiB (MAX_ARG_STRLEN), so no shell can hand the CLI such a goal: it comes through
  // the API or a delegate call, both of which start runs through the engine, as here.
  for (const [name, goal] of [
    ['a goal over 1 MiB (through the engine, as the API and delegate calls do)', 'x'.repeat(1024 * 1024 + 1)],
    ['a goal under 1 Mi characters but over 1 MiB of UTF-8', '中'.repeat(350_000)],
    // A shell cannot pass a NUL byte or an unpaired surrogate; JSON (the API, a delegate call) can.
    ['a goal with a NUL byte', 'fix the parser\0; rm -rf /'],
    ['a goal with an unpaired surrogate', 'fix the \uD800 parser'],
    ['a test command with a NUL byte', 'fix the parser'],
    ['a repository path with a NUL byte', 'fix the parser'],
  ] as const) {
    it(name, async () => {
      count();
      const engineHome = join(await temp.dir(), 'home');
      const store = new Store(join(engineHome, 'orch.db'));
      const before = await repoState(repo.root);
      try {
        const engine = new Engine({ store, home: engineHome });
        const request = name.startsWith('a test command') ? { testCmd: 'npm\0test' } : name.startsWith('a repository path') ? { repoPath: `${repo.root}\0/x` } : {};
        const error = await engine.run({ repoPath: repo.root, goal, ...request }, new AbortController().signal).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        if (name.includes('1 Mi')) {
          expect((error as Error).message).toMatch(/The goal is larger than 1 MiB/);
          expect((error as { hint?: string }).hint).toMatch(/Put the details in a file/);
        } else {
          const field = name.startsWith('a test command') ? 'testCmd' : name.startsWith('a repository path') ? 'repoPath' : 'goal';
          expect((error as Error).message).toMatch(new RegExp(`^The ${field} holds (a NUL byte|an unpaired surrogate)`));
        }
        expect(exitCodeFor(error)).toBe(2);
        expect(store.runs.list({ limit: 10 })).toEqual([]);
      } finally {
        store.close();
      }
      expect(await repoState(repo.root)).toEqual(before);
      expect(runsRecorded(engineHome)).toBe(0);
    });
  }
});

describe.concurrent('goals in any script work, byte for byte', () => {
  const goals: [string, string][] = [
    ['Chinese', '修复日期解析器中的时区错误，并为闰年二月二十九日添加测试。'],
    ['Arabic, right to left with a direction mark', 'أصلح خطأ المنطقة الزمنية في محلل التاريخ\u200F وأضف اختبارًا للسنة الكبيسة'],
    ['emoji: ZWJ sequences, flags, skin tones, astral plane', '🐛 fix the 👨‍👩‍👧‍👦 parser 🚀 for 🇯🇵 and 👍🏽 — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛'],
    ['combining marks, left unnormalised', 'Cafe\u0301 (NFD é), Z\u0351\u0364a\u0346l\u0310g\u0313o\u0300\u0301\u0302, \u1100\u1161\u11A8 (jamo), क्षि, ﷽'],
  ];
  for (const [name, goal] of goals) {
    it(name, async () => {
      count();
      await runGoal(goal);
    });
  }
});

describe.concurrent('goals full of shell syntax reach the agent as text, never a shell', () => {
  it('$(…), backticks, ; rm -rf ~, | tee, &&, redirections, quotes, newlines, {prompt} and {{goal}}', async () => {
    count();
    const dir = await temp.dir();
    const marker = join(dir, 'marker');
    const fakeHome = join(dir, 'home-canary');
    await mkdir(marker);
    await mkdir(fakeHome);
    await writeFile(join(fakeHome, 'canary'), 'still here\n');
    const goal = [
      'fix the parser $(touch pwned) `touch pwned-backtick` ; rm -rf ~ ; echo x | tee pwned-tee',
      `&& touch ${marker}/pwned-and || touch ${marker}/pwned-or & touch pwned-bg > pwned-redirect < /etc/passwd`,
      `$(touch ${marker}/pwned-abs) \`touch ${marker}/pwned-abs-backtick\` $HOME \${PATH} %s %n $& $1 \\ \\n {prompt} {{goal}} <!-- -->`,
      `'single quotes' "double quotes" "an unbalanced ' quote`,
      '\ttabbed line; exit 1',
    ].join('\n');
    const { own } = await runGoal(goal, { env: { HOME: fakeHome } });
    expect(await readFile(join(fakeHome, 'canary'), 'utf8')).toBe('still here\n');
    expect(readdirSync(marker)).toEqual([]);
    const found: string[] = [];
    const walk = (current: string): void => {
      if (!existsSync(current)) return;
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        if (entry.name.includes('pwned')) found.push(join(current, entry.name));
        if (entry.isDirectory()) walk(join(current, entry.name));
      }
    };
    walk(own.dir); // the repository, its ORCH_HOME and the attempt worktrees in it
    walk(dir);
    for (const entry of readdirSync(process.cwd())) if (entry.includes('pwned')) found.push(entry);
    expect(found).toEqual([]);
  });

  it('a goal that starts with dashes, after --', async () => {
    count();
    const goal = '--strategy=evil -S n=99 --upload-pack=touch pwned: make the flags parser strict';
    const { report } = await runGoal(goal, { argv: ['run', '--', goal] });
    expect(report.run.strategy).toBe('single');
  });
});

describe('after every case', () => {
  it('orch runs --json lists no run in the shared repository', async () => {
    const runs = await runOrch(['runs', '--json', '--all'], { cwd: repo.root, home });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
