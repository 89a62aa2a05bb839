// With no check configured, orch looks for the project's own: a package.json test script, pytest, go test,
// cargo test, a Makefile's test target. Read from the base commit (what attempts start from), not the checkout.
import type { CheckCommand } from '../domain/config.ts';

export interface FoundCheck {
  command: CheckCommand;
  /** Where it was found, in words: "package.json's test script". */
  foundIn: string;
}

/** Reads a file of the base commit; null when it is not there. */
export type ReadFile = (path: string) => Promise<string | null>;

// `npm init` writes this test script; it fails on purpose and checks nothing.
const npmPlaceholder = /no test specified/;

async function fromPackageJson(read: ReadFile): Promise<FoundCheck | undefined> {
  const text = await read('package.json');
  if (text === null) return undefined;
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    return undefined;
  }
  const test = typeof scripts === 'object' && scripts !== null ? (scripts as Record<string, unknown>)['test'] : undefined;
  if (typeof test !== 'string' || test.trim() === '' || npmPlaceholder.test(test)) return undefined;
  const manager = (await read('pnpm-lock.yaml')) !== null ? 'pnpm' : (await read('yarn.lock')) !== null ? 'yarn' : 'npm';
  return { command: [manager, 'test'], foundIn: "package.json's test script" };
}

async function fromPytest(read: ReadFile): Promise<FoundCheck | undefined> {
  if ((await read('pytest.ini')) !== null) return { command: ['pytest'], foundIn: 'pytest.ini' };
  if ((await read('pyproject.toml'))?.includes('[tool.pytest') === true) return { command: ['pytest'], foundIn: "pyproject.toml's [tool.pytest] section" };
  if ((await read('setup.cfg'))?.includes('[tool:pytest]') === true) return { command: ['pytest'], foundIn: "setup.cfg's [tool:pytest] section" };
  if ((await read('tox.ini'))?.includes('[pytest]') === true) return { command: ['pytest'], foundIn: "tox.ini's [pytest] section" };
  if ((await read('conftest.py')) !== null) return { command: ['pytest'], foundIn: 'conftest.py' };
  return undefined;
}

async function fromMakefile(read: ReadFile): Promise<FoundCheck | undefined> {
  for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
    const text = await read(name);
    if (text !== null && /^test\s*:/m.test(text)) return { command: ['make', 'test'], foundIn: `${name}'s test target` };
  }
  return undefined;
}

export async function detectProjectCheck(read: ReadFile): Promise<FoundCheck | undefined> {
  return (
    (await fromMakefile(read)) ??
    (await fromPackageJson(read)) ??
    (await fromPytest(read)) ??
    ((await read('go.mod')) !== null ? { command: ['go', 'test', './...'], foundIn: 'go.mod' } : undefined) ??
    ((await read('Cargo.toml')) !== null ? { command: ['cargo', 'test'], foundIn: 'Cargo.toml' } : undefined)
  );
}
