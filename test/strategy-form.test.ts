// The start form of the web dashboard builds its strategy fields from what GET /strategies sends: checked here
// against the real strategies' schemas, so a parameter a strategy adds shows up in the form as the right kind of field.
import { describe, expect, it } from 'vitest';
import { strategyInfos } from '../src/server/routes-strategies.ts';
import { fieldsOf, paramsFrom } from '../web/src/components/param-fields.ts';

const schemaOf = (name: string) => {
  const info = strategyInfos().find((s) => s.name === name);
  if (info === undefined) throw new Error(`no strategy ${name}`);
  return info.params;
};

describe('strategy parameters as form fields', () => {
  it("reads plan's fields off the schema the server sends: a choice of worker, bounded numbers, a text list", () => {
    const fields = fieldsOf(schemaOf('plan'));
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName['worker']).toMatchObject({ kind: 'choice', choices: ['single', 'best-of-n', 'iterative', 'tournament'], defaultText: 'single' });
    expect(byName['depth']).toMatchObject({ kind: 'integer', min: 1, max: 4, defaultText: '1' });
    expect(byName['context']).toMatchObject({ kind: 'text', defaultText: 'CLAUDE.md,AGENTS.md,BACKLOG.md,PROJECT_DIRECTION.md' });
    expect(byName['maxTasks']?.help).toContain('most tasks');
  });

  it('leaves out the agents, which the form asks for once for the run', () => {
    expect(fieldsOf(schemaOf('best-of-n')).map((f) => f.name)).toEqual(['n']);
    expect(fieldsOf(schemaOf('single'))).toEqual([]);
  });

  it('sends only what was filled in, typed as the schema says, and the strategy accepts it', () => {
    const fields = fieldsOf(schemaOf('plan'));
    const params = paramsFrom(fields, { worker: 'best-of-n', n: '2', depth: '', maxTasks: ' 5 ', context: 'README.md,NOTES.md' });
    expect(params).toEqual({ worker: 'best-of-n', n: 2, maxTasks: 5, context: 'README.md,NOTES.md' });
  });
});
