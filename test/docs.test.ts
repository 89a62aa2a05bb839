// The README's references are generated from (and checked against) the code, so they cannot drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTable, type CommandName } from '../src/cli/command-table.ts';
import { buildFullProgram } from '../src/cli/program.ts';
import { configTemplate } from '../src/cli/commands/init.ts';
import { agentTableMarkdown } from '../src/domain/agent-reference.ts';
import { agentNames, agentRecords } from '../src/domain/agent-records.ts';
import { configSchema } from '../src/domain/config.ts';
import { parseConfig } from '../src/engine/run/config-file.ts';
import { configReferenceMarkdown } from '../src/domain/config-reference.ts';
import { portfolioJsonSchema, portfolioReferenceMarkdown, snakeCaseTableMarkdown } from '../src/portfolio/reference.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('holds the configuration reference generated from the config schema', () => {
    const between = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme)?.[1];
    expect(between).toBe(configReferenceMarkdown());
  });

  it('holds the portfolio reference and seed 001\'s names, generated from the portfolio schema (and its JSON Schema file)', () => {
    expect(/<!-- portfolio-reference:start -->\n([\s\S]*?)\n<!-- portfolio-reference:end -->/.exec(readme)?.[1]).toBe(portfolioReferenceMarkdown());
    expect(/<!-- portfolio-names:start -->\n([\s\S]*?)\n<!-- portfolio-names:end -->/.exec(readme)?.[1]).toBe(snakeCaseTableMarkdown());
    const file = JSON.parse(readFileSync(new URL('../schemas/portfolio.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(portfolioJsonSchema());
  });

  it('holds the table of agents generated from the agent records', () => {
    const between = /<!-- agent-table:start -->\n([\s\S]*?)\n<!-- agent-table:end -->/.exec(readme)?.[1];
    expect(between).toBe(agentTableMarkdown());
  });

  it('documents every CLI command and every option of orch run', async () => {
    const program = await buildFullProgram();
    for (const command of program.commands) {
      expect(readme).toContain(`\`orch ${command.name()}`);
    }
    const run = program.commands.find((c) => c.name() === 'run');
    for (const option of run?.options ?? []) expect(readme).toContain(option.long ?? '');
  });

  it('lists each command by the one summary its module also uses', async () => {
    const program = await buildFullProgram();
    for (const command of program.commands) expect(command.description()).toBe(commandTable[command.name() as CommandName]?.summary);
  });

  it('gives the two commands a newcomer needs', () => {
    expect(readme).toContain('scripts/dev demo');
    expect(readme).toContain('scripts/dev test');
  });
});

describe('orch init', () => {
  it("writes orch init's template with every agent, and the template reads as the defaults", () => {
    for (const name of agentNames) expect(configTemplate).toContain(`"${name}" (${agentRecords[name].title})`);
    for (const name of agentNames) expect(configTemplate).toMatch(new RegExp(`"${name}": \\{`));
    expect(parseConfig(configTemplate, 'orch.config.json')).toEqual(configSchema.parse({}));
  });
});
