// Per-test results from what test runners write: TAP and node's spec reporter on stdout, JUnit XML and the JSON
// reporters of jest, vitest and mocha in report files. With them an attempt is weighed test by test against
// the base; without them, check by check.
export interface TestResults {
  format: string;
  passed: string[];
  failed: string[];
}

/** Names kept per list: enough to compare, bounded so a huge suite does not bloat the store. */
const maxNames = 5000;

function finish(format: string, outcomes: Map<string, boolean>): TestResults | undefined {
  if (outcomes.size === 0) return undefined;
  const passed: string[] = [];
  const failed: string[] = [];
  for (const [name, ok] of outcomes) (ok ? passed : failed).push(name);
  return { format, passed: passed.slice(0, maxNames), failed: failed.slice(0, maxNames) };
}

/** A test seen twice (a retry in the runner, the same name in two files) fails if any run of it failed. */
function record(outcomes: Map<string, boolean>, name: string, ok: boolean): void {
  outcomes.set(name, (outcomes.get(name) ?? true) && ok);
}

// `ok 1 - name`, `not ok 2 name # SKIP`; subtests are indented lines of the same form.
const tapLine = /^(\s*)(not ok|ok)\b\s*\d*\s*(?:-\s*)?(.*?)\s*(?:#\s*(\w+).*)?$/;

export function parseTap(output: string): TestResults | undefined {
  if (!/^\s*(TAP version \d+|1\.\.\d+|(not )?ok \d)/m.test(output)) return undefined;
  const outcomes = new Map<string, boolean>();
  for (const line of output.split('\n')) {
    const match = tapLine.exec(line);
    if (match === null) continue;
    const [, , status, name = '', directive] = match;
    if (directive !== undefined && /^(skip|todo)$/i.test(directive)) continue;
    record(outcomes, name, status === 'ok');
  }
  return finish('tap', outcomes);
}

// node --test's default (spec) reporter: `✔ name (1.2ms)` / `✖ name (3ms)`, nested by two spaces; a summary of
// the failures repeats them after `✖ failing tests:`.
const specLine = /^(\s*)([✔✖])\s+(.*?)\s+\([\d.]+m?s\)(?:\s*#.*)?$/;

export function parseNodeSpec(output: string): TestResults | undefined {
  const outcomes = new Map<string, boolean>();
  const lines = output.split('\n');
  const end = lines.findIndex((line) => /^✖ failing tests:/.test(line.trim()));
  for (const line of end >= 0 ? lines.slice(0, end) : lines) {
    const match = specLine.exec(line);
    if (match === null) continue;
    const [, , mark, name = ''] = match;
    record(outcomes, name, mark === '✔');
  }
  // Children print before their parent in spec output, so names carry no parent: enough to compare two runs of
  // the same suite.
  return finish('node-spec', outcomes);
}

const unescapeXml = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? unescapeXml(match[2] ?? match[3] ?? '') : undefined;
}

export function parseJUnit(xml: string): TestResults | undefined {
  const outcomes = new Map<string, boolean>();
  const testcase = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const attributes = match[1] ?? '';
    const body = match[2] ?? '';
    if (/<skipped\b/.test(body)) continue;
    const name = [attribute(attributes, 'classname'), attribute(attributes, 'name')].filter(Boolean).join(' > ');
    record(outcomes, name, !/<(failure|error)\b/.test(body));
  }
  return finish('junit', outcomes);
}

interface JestLike {
  testResults?: { name?: string; assertionResults?: { fullName?: string; title?: string; status?: string }[] }[];
}
interface MochaLike {
  passes?: { fullTitle?: string }[];
  failures?: { fullTitle?: string }[];
}

/** jest's and vitest's `--json` (testResults[].assertionResults[]), or mocha's JSON reporter (passes, failures). */
export function parseJsonReport(text: string): TestResults | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const outcomes = new Map<string, boolean>();
  const jest = data as JestLike;
  for (const file of Array.isArray(jest.testResults) ? jest.testResults : []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') continue;
      record(outcomes, test.fullName ?? test.title ?? '', test.status === 'passed');
    }
  }
  const mocha = data as MochaLike;
  for (const test of Array.isArray(mocha.passes) ? mocha.passes : []) record(outcomes, test.fullTitle ?? '', true);
  for (const test of Array.isArray(mocha.failures) ? mocha.failures : []) record(outcomes, test.fullTitle ?? '', false);
  return finish('json', outcomes);
}

/** A report file's results, by its content (XML or JSON). */
export function parseReportFile(text: string): TestResults | undefined {
  return text.trimStart().startsWith('<') ? parseJUnit(text) : parseJsonReport(text);
}

/** Per-test results from a check's output, trying TAP, then node's spec reporter. */
export function parseOutput(output: string): TestResults | undefined {
  return parseTap(output) ?? parseNodeSpec(output);
}

/** Several sources (report files, output) merged into one set of results. */
export function mergeResults(parts: readonly (TestResults | undefined)[]): TestResults | undefined {
  const present = parts.filter((p): p is TestResults => p !== undefined);
  if (present.length === 0) return undefined;
  const outcomes = new Map<string, boolean>();
  for (const part of present) {
    for (const name of part.passed) record(outcomes, name, true);
    for (const name of part.failed) record(outcomes, name, false);
  }
  return finish(present.map((p) => p.format).join('+'), outcomes);
}
