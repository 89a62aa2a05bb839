// An unknown config key is refused with the name orch knows: `merge_via` (as issues write it) → `mergeVia`.
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config-file.ts';

describe('config key suggestions', () => {
  it('names the camelCase key for a snake_case one, and the near key for a typo, at its place', () => {
    const refused = () => parseConfig(JSON.stringify({ github: { merge_via: 'github' }, limits: { maxagents: 2 }, sandbox_mode: 'x', zzz: 1 }), 'orch.config.json');
    expect(refused).toThrow(/github: Unrecognized key: "merge_via"/);
    expect(refused).toThrow(`"merge_via" is not a setting; did you mean "mergeVia" (github.mergeVia)? orch's config keys are camelCase.`);
    expect(refused).toThrow(`"maxagents" is not a setting; did you mean "maxAgents" (limits.maxAgents)?`);
    expect(refused).not.toThrow(/"zzz" is not a setting; did you mean/);
    expect(parseConfig(JSON.stringify({ github: { mergeVia: 'github', maxBranchUpdates: 1 } }), 'x').github).toMatchObject({ mergeVia: 'github', maxBranchUpdates: 1 });
  });
});
