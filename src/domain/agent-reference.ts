// The README's table of agents and `orch init`'s agent lines, both written from the agent records.
import { agentNames, agentRecords, defaultAgent, type AgentRecord } from './agent-records.ts';

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function programOf(record: AgentRecord): string {
  const program = record.program(record.section.parse(undefined));
  return program === undefined ? 'its config names it' : `\`${program}\``;
}

export function agentTableMarkdown(): string {
  const rows = agentNames.map((name) => {
    const record: AgentRecord = agentRecords[name];
    const { capabilities: can } = record;
    const cells = [
      `\`${name}\`${name === defaultAgent ? ' (default)' : ''}`,
      record.title,
      programOf(record),
      yesNo(can.resume),
      yesNo(can.readOnly),
      can.cost,
      yesNo(can.budget),
      yesNo(can.mcp),
      record.login ?? 'not checked',
      record.docs === undefined ? '' : `\`${record.docs}\``,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const header = '| agent | what | program | resumes its session | read-only mode | cost | stops at its budget | `delegate` tool (MCP) | login checked before a run | facts |';
  return [header, `|${'---|'.repeat(10)}`, ...rows].join('\n');
}

/** A section's settings worth showing in a template: defaults that are not empty, or the record's example. */
function sampleSection(record: AgentRecord): Record<string, unknown> {
  if (record.example !== undefined) return record.example;
  const defaults = (record.section.parse(undefined) ?? {}) as Record<string, unknown>;
  const isEmpty = (value: unknown) => value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  return Object.fromEntries(Object.entries(defaults).filter(([, value]) => !isEmpty(value)));
}

const jsonInline = (value: unknown): string => JSON.stringify(value).replace(/([{,])"/g, '$1 "').replace(/":/g, '": ').replace(/}$/, ' }');

/** The `agent` choices and one (commented) line per agent's section, for `orch init`'s template. */
export function agentTemplateLines(): { choices: string; sections: string[] } {
  const choices = agentNames.map((name) => `"${name}" (${agentRecords[name].title})`).join(', ');
  // The default agent's line is the one not commented out, first, so the others need no commas.
  const sections = [defaultAgent, ...agentNames.filter((name) => name !== defaultAgent)].map((name) => {
    const record: AgentRecord = agentRecords[name];
    const line = `"${name}": ${jsonInline(sampleSection(record))}`;
    return name === defaultAgent ? line : `// ${line}`;
  });
  return { choices, sections };
}
