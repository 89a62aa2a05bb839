// The agent records and the registry agree, and the config derived from the records covers every agent.
import { describe, expect, it } from 'vitest';
import { agentNames, agentRecords } from '../domain/agent-records.ts';
import { configSchema } from '../domain/config.ts';
import { assertAgentCredentials, assertAgentInstalled, checksCredentials, createAgentAdapter } from './registry.ts';

const defaults = configSchema.parse({});
const withCommand = configSchema.parse({ agents: { command: { argv: ['my-agent', '{prompt}'] } } });

describe('agent records and the registry', () => {
  it('gives every recorded agent an adapter of that name, resuming exactly when its record says so', () => {
    expect(agentNames).toEqual(['claude', 'codex', 'command', 'aider', 'gemini', 'opencode']);
    for (const name of agentNames) {
      const adapter = createAgentAdapter(name, withCommand);
      expect(adapter.name).toBe(name);
      expect(adapter.supportsResume).toBe(agentRecords[name].capabilities.resume);
    }
  });

  it('checks a login before a run exactly for the agents whose record names one', () => {
    for (const name of agentNames) expect(checksCredentials(name), name).toBe(agentRecords[name].login !== undefined);
  });

  it('fills every section from the records, with zod defaults and nothing else', () => {
    expect(defaults.agent).toBe('claude');
    expect(defaults.agents).toEqual({
      claude: { binary: 'claude', maxRetries: 2, env: {} },
      codex: { binary: 'codex', env: {} },
      aider: { binary: 'aider', env: {}, args: [] },
      gemini: { binary: 'gemini', maxAttempts: 3, env: {} },
      opencode: { binary: 'opencode', env: {} },
    });
    // A section given in part still gets the rest of its defaults.
    expect(configSchema.parse({ agents: { gemini: { binary: '/opt/gemini' } } }).agents.gemini).toEqual({ binary: '/opt/gemini', maxAttempts: 3, env: {} });
    expect(() => configSchema.parse({ agent: 'cursor' })).toThrow(/"claude"\|"codex"\|"command"\|"aider"\|"gemini"\|"opencode"|claude/);
  });

  it('refuses an unknown agent and an unconfigured command agent with what to do', () => {
    expect(() => createAgentAdapter('cursor', defaults)).toThrow(/Unknown agent 'cursor'/);
    expect(() => assertAgentInstalled('cursor', defaults, '/')).toThrow(/Unknown agent 'cursor'/);
    expect(() => createAgentAdapter('command', defaults)).toThrow(/needs agents\.command\.argv/);
    expect(() => assertAgentCredentials('cursor', defaults, {})).toThrow(/Unknown agent/);
  });

  it("names the record's install hint when the program is missing", () => {
    const config = configSchema.parse({ agents: { opencode: { binary: 'no-such-opencode-here' } } });
    let hint = '';
    try {
      assertAgentInstalled('opencode', config, '/', '/nonexistent');
    } catch (error) {
      hint = (error as { hint?: string }).hint ?? '';
    }
    expect(hint).toBe(agentRecords.opencode.install);
  });
});
