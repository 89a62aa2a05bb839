// Bad input on the command line (flags, refs that look like options, ids that look like paths): a clear message,
// exit code 2, the repository byte-identical, no run recorded. One repository and one ORCH_HOME serve every case:
// each is refused before anything is written, so they can run side by side.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseCounter, createStore, expectRefusedWithoutChange, okConfig, useSuiteTemp } from '../helpers/bad-input.ts';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useSuiteTemp();
const count = caseCounter('flags');
let repo: TempRepo;
let home: string;

beforeAll(async () => {
  repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
  home = join(await temp.dir(), 'home');
  createStore(home);
});

/** [name, argv after `orch`, expected message]; every argv is refused. */
const cases: [string, string[], RegExp][] = [
  ['an unknown flag', ['run', 'goal', '--bogus'], /unknown option '--bogus'[\s\S]*orch --help/],
  ['an unknown command', ['rnu', 'goal'], /unknown command 'rnu'[\s\S]*orch --help/],
  ['a missing goal', ['run'], /No goal: say what the agents should do, or pass --issue N[\s\S]*orch run --issue 42/],
  ['--issue abc', ['run', '--issue', 'abc'], /--issue must be an issue number, not 'abc'/],
  ['--issue 0', ['run', '--issue', '0'], /--issue must be an issue number, not '0'/],
  ['--deliver email', ['run', 'goal', '--deliver', 'email'], /--deliver must be merge or pr, not 'email'/],
  ['--deliver pr without an origin remote', ['run', 'goal', '--deliver', 'pr'], /no `origin` remote[\s\S]*github\.repo/],
  ['--timeout 0', ['run', 'goal', '--timeout', '0'], /--timeout must be a positive number of seconds, not '0'/],
  ['--timeout abc', ['run', 'goal', '--timeout', 'abc'], /--timeout must be a positive number of seconds, not 'abc'/],
  ['--timeout -5', ['run', 'goal', '--timeout', '-5'], /--timeout must be a positive number of seconds, not '-5'/],
  ['--idle-timeout 0', ['run', 'goal', '--idle-timeout', '0'], /--idle-timeout must be a positive number of seconds/],
  ['--max-agents 0', ['run', 'goal', '--max-agents', '0'], /--max-agents must be a positive whole number, not '0'/],
  ['--max-agents 1.5 (was an internal error)', ['run', 'goal', '--max-agents', '1.5'], /--max-agents must be a positive whole number, not '1.5'/],
  ['--max-run-minutes 0', ['run', 'goal', '--max-run-minutes', '0'], /--max-run-minutes must be a positive number of minutes, not '0'/],
  ['--max-run-minutes soon', ['run', 'goal', '--max-run-minutes', 'soon'], /--max-run-minutes must be a positive number of minutes, not 'soon'/],
  ['--max-run-minutes 99999 (a timer past 24 days fires at once)', ['run', 'goal', '--max-run-minutes', '99999'], /--max-run-minutes must be at most 10080 minutes \(a week\)/],
  ['--max-cost -1', ['run', 'goal', '--max-cost', '-1'], /--max-cost must be a positive amount of US dollars, not '-1'/],
  ['--max-run-cost abc', ['run', 'goal', '--max-run-cost', 'abc'], /--max-run-cost must be a positive amount of US dollars, not 'abc'/],
  // Numbers past what the platform can do: a Node timer waits at most 2^31-1 ms, longer ones fired after 1 ms.
  ['--timeout 3000000 (past the timer limit; was killed after 1 ms)', ['run', 'goal', '--timeout', '3000000'], /--timeout must be at most 2147483 seconds \(the longest a timer can wait: about 24\.8 days\), not '3000000'/],
  ['--idle-timeout 1e10', ['run', 'goal', '--idle-timeout', '1e10'], /--idle-timeout must be at most 2147483 seconds/],
  ['--timeout Infinity', ['run', 'goal', '--timeout', 'Infinity'], /--timeout must be a positive number of seconds, not 'Infinity'/],
  ['--timeout 0x10 (hexadecimal is not a number of seconds)', ['run', 'goal', '--timeout', '0x10'], /--timeout must be a positive number of seconds, not '0x10'/],
  ["--timeout '' (was 0 seconds)", ['run', 'goal', '--timeout', ''], /--timeout must be a positive number of seconds, not ''/],
  ['--max-agents 1e9', ['run', 'goal', '--max-agents', '1e9'], /--max-agents must be at most 1000 \(more agents at once than one machine can run\)/],
  ['--max-run-cost 1e300', ['run', 'goal', '--max-run-cost', '1e300'], /--max-run-cost must be at most 1000000 US dollars/],
  ['orch runs --limit -5 (was every run)', ['runs', '--limit', '-5'], /--limit must be a positive whole number, not '-5'/],
  ['orch serve --port 70000', ['serve', '--port', '70000'], /--port must be at most 65535 \(the largest TCP port\), not '70000'/],
  ['orch serve --max-agents 0.5', ['serve', '--max-agents', '0.5'], /--max-agents must be a positive whole number, not '0\.5'/],
  ['an unknown --strategy', ['run', 'goal', '--strategy', 'best-of-ten'], /Unknown strategy 'best-of-ten'[\s\S]*Built-in strategies: single/],
  ['a --strategy module that does not exist', ['run', 'goal', '--strategy', './no-such-strategy.ts'], /strategy module .*no-such-strategy\.ts does not exist/],
  ['a malformed -S', ['run', 'goal', '-S', 'n'], /-S takes key=value, not 'n'[\s\S]*For example: -S n=5/],
  ['a -S value the strategy refuses', ['run', 'goal', '--strategy', 'best-of-n', '-S', 'n=0'], /Invalid parameters for strategy 'best-of-n':\n {2}- n: [\s\S]*-S key=value/],
  ['--params that is not an object', ['run', 'goal', '--params', '[1, 2]'], /--params must be a JSON object[\s\S]*For example: --params/],
  ['--params that is not JSON', ['run', 'goal', '--params', '{n: 2}'], /--params is not valid JSON[\s\S]*For example/],
  ['an unknown --agent', ['run', 'goal', '--agent', 'gpt-pilot'], /Unknown agent 'gpt-pilot'[\s\S]*Use one of: claude, codex, command/],
  ["--agents ''", ['run', 'goal', '--agents', ''], /--agents names no agent[\s\S]*For example: --agents/],
  ['--select bogus', ['run', 'goal', '--select', 'bogus'], /--select: unknown selection criterion 'bogus' \(use: checks, review/],
  ['a --test-cmd that does not exist', ['run', 'goal', '--test-cmd', 'no-such-test-runner --all'], /'no-such-test-runner' was not found[\s\S]*Install no-such-test-runner, or fix the test command/],
  // Refs and branch names: refused before they reach git's argv.
  ['an unknown --base', ['run', 'goal', '--base', 'no-such-ref'], /Unknown ref 'no-such-ref'[\s\S]*git branch -a/],
  ['--base=-x', ['run', 'goal', '--base=-x'], /'-x' is not a valid ref: names may not start with '-'/],
  ['--base --upload-pack=x', ['run', 'goal', '--base', '--upload-pack=x'], /'--upload-pack=x' is not a valid ref: names may not start with '-'/],
  ['--target -b', ['run', 'goal', '--target', '-b'], /'-b' is not a valid branch name: names may not start with '-'/],
  ['--target ../x', ['run', 'goal', '--target', '../x'], /'\.\.\/x' is not a valid branch name[\s\S]*check-ref-format/],
  ["--target 'a b'", ['run', 'goal', '--target', 'a b'], /'a b' is not a valid branch name/],
  ['--target HEAD', ['run', 'goal', '--target', 'HEAD'], /'HEAD' is not a valid branch name/],
  ['--target @', ['run', 'goal', '--target', '@'], /'@' is not a valid branch name/],
  ['--target a..b', ['run', 'goal', '--target', 'a..b'], /'a\.\.b' is not a valid branch name/],
  ['an unknown --target without --base', ['run', 'goal', '--target', 'nope'], /target branch 'nope' does not exist[\s\S]*--base <ref>/],
  // Ids of runs and attempts: unknown ones, and ones that look like paths.
  ['orch show of an unknown run', ['show', 'run_nope'], /No run 'run_nope'[\s\S]*orch runs/],
  ['orch show ../../etc/passwd', ['show', '../../etc/passwd'], /No run '\.\.\/\.\.\/etc\/passwd'/],
  ['orch logs of an unknown attempt', ['logs', 'att_nope'], /No attempt 'att_nope'[\s\S]*orch show <run>/],
  ['orch logs ../../etc/passwd', ['logs', '../../etc/passwd'], /No attempt '\.\.\/\.\.\/etc\/passwd'/],
  ['orch resume of an unknown run', ['resume', 'run_nope'], /No run 'run_nope'[\s\S]*orch runs/],
  ['orch resume ../../etc/passwd', ['resume', '../../etc/passwd'], /No run '\.\.\/\.\.\/etc\/passwd'/],
  ['orch init where orch.config.json exists', ['init'], /orch\.config\.json already exists[\s\S]*--force/],
];

describe.concurrent('orch refuses bad flags and changes nothing', () => {
  for (const [name, args, message] of cases) {
    it(name, async () => {
      count();
      const result = await expectRefusedWithoutChange({ args, message, root: repo.root, home });
      expect(result.stdout).not.toMatch(/root:/); // nothing of /etc/passwd, or of anything else, reached stdout
    });
  }

  it('--repo naming a file', async () => {
    count();
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--repo', join(repo.root, 'README.md')], message: /README\.md' does not exist or is not a directory[\s\S]*--repo <path>/, root: repo.root, home });
  });

  it('--repo naming a directory that does not exist', async () => {
    count();
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--repo', join(repo.dir, 'missing')], message: /missing' does not exist or is not a directory/, root: repo.root, home });
  });
});

describe('after every case', () => {
  it('orch runs --json lists no run', async () => {
    const runs = await runOrch(['runs', '--json', '--all'], { cwd: repo.root, home });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
