import { expect, it } from 'vitest';
import { jsonErrorOffset } from '/work/main/src/agents/credentials.ts';
it('agrees with V8', () => {
  const cases = ['{"a":"b"\n,, }', '{"a": "sk', '{"a":1} x', '[1,2,]', '{"a":01}', '{"a":"\\x"}', '{"a":"\u0001"}', '{"a":-}', '{"a":1.}', '{"a" 1}', '{"a":[1 2]}', '{"a":nul}', '  ', '{"a":"\\u12G4"}', '{"a":{"b":[true,false,null,-1.5e+3,"x\\n"]}} ,'];
  for (const t of cases) {
    let v8 = -1;
    try { JSON.parse(t); } catch (e) { const m = /position (\d+)/.exec((e as Error).message); v8 = m ? Number(m[1]) : t.length === 0 || /end of JSON/.test((e as Error).message) ? t.length : -2; }
    console.log(JSON.stringify(t), jsonErrorOffset(t), v8);
  }
  const ok = '{"claude":{"credentials":[{"name":"a","env":{"K":"v"}}]}}';
  expect(jsonErrorOffset(ok)).toBe(ok.length);
});
