// The README's references are generated from (and checked against) the code, so they cannot drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.ts';
import { configReferenceMarkdown } from '../src/domain/config-reference.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('holds the configuration reference generated from the config schema', () => {
    const between = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme)?.[1];
    expect(between).toBe(configReferenceMarkdown());
  });

  it('documents every CLI command and every option of orch run', () => {
    const program = buildProgram();
    for (const command of program.commands) {
      expect(readme).toContain(`\`orch ${command.name()}`);
    }
    const run = program.commands.find((c) => c.name() === 'run');
    for (const option of run?.options ?? []) expect(readme).toContain(option.long ?? '');
  });

  it('gives the two commands a newcomer needs', () => {
    expect(readme).toContain('scripts/dev demo');
    expect(readme).toContain('scripts/dev test');
  });
});
