import { describe, expect, it } from 'vitest';
import { parseConfig } from './config-file.ts';

describe('parseConfig', () => {
  it('reads JSON with comments and trailing commas, filling defaults', () => {
    const config = parseConfig('// hi\n{ "checks": { "test": "npm test", }, /* x */ }', 'orch.config.json');
    expect(config.checks).toEqual({ test: 'npm test', timeoutSeconds: 600, reruns: 1, protect: [], reports: [], allowUnchecked: false, network: false });
    expect(config.agent).toBe('claude');
    expect(config.timeouts.idleSeconds).toBe(300);
  });

  it('names the path and problem of every invalid field', () => {
    const parse = () => parseConfig('{ "timeouts": { "idleSeconds": -1 }, "agent": "robot" }', 'c.json');
    expect(parse).toThrow(/c\.json is invalid:/);
    expect(parse).toThrow(/- timeouts\.idleSeconds: must be a positive number of seconds/);
    expect(parse).toThrow(/- agent: Invalid option/);
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    expect(() => parseConfig('{ "chekcs": {} }', 'c.json')).toThrow(/Unrecognized key.*chekcs|chekcs/);
  });
});

describe('what a config may be before it is parsed', () => {
  it('refuses nesting deeper than a config can go, counting brackets outside strings and comments only', () => {
    expect(() => parseConfig(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'deep.json')).toThrow(/deep\.json is nested more than 20 levels deep/);
    const many = '['.repeat(30);
    const text = `{ "model": "${many}", // ${many}\n /* ${'{'.repeat(30)} */ }`;
    expect(parseConfig(text, 'c.json').model).toBe(many);
  });
});
