import { describe, expect, it } from 'vitest';
import { reviewSchema } from '../domain/records.ts';
import { findJsonObjects, parseJsonAnswer } from './json-answer.ts';

const good = { score: 8, pass: true, reasoning: 'Does the job.', risks: ['no test for empty input'] };

describe('parseJsonAnswer', () => {
  it('reads bare JSON', () => {
    expect(parseJsonAnswer(JSON.stringify(good), reviewSchema)).toEqual({ ok: true, value: good });
  });

  it('reads JSON in a ```json fence amid prose', () => {
    const text = `Here is my review.\n\n\`\`\`json\n${JSON.stringify(good, null, 2)}\n\`\`\`\n\nThanks!`;
    expect(parseJsonAnswer(text, reviewSchema)).toEqual({ ok: true, value: good });
  });

  it('reads JSON surrounded by prose with stray braces, and braces inside strings', () => {
    const value = { ...good, reasoning: 'Handles `{` and "}" in strings: {not json}.' };
    const text = `I looked at {the code} and a { dangling brace.\n${JSON.stringify(value)}\nThat is all.`;
    expect(parseJsonAnswer(text, reviewSchema)).toEqual({ ok: true, value });
  });

  it('takes the last object that validates, not an example before it or an object nested in it', () => {
    const text = `The format is {"score": "n"}. My answer: ${JSON.stringify({ ...good, score: 3 })}`;
    expect(parseJsonAnswer(text, reviewSchema)).toEqual({ ok: true, value: { ...good, score: 3 } });
    expect(findJsonObjects('{"a": {"b": 1}} then {"c": 2}')).toEqual([{ a: { b: 1 } }, { c: 2 }]);
  });

  it('says what is wrong with an object that does not validate', () => {
    const answer = parseJsonAnswer(JSON.stringify({ score: 12, pass: 'yes', reasoning: 'ok' }), reviewSchema);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error).toContain('does not match the required format');
    expect(answer.error).toMatch(/- score: .*10/);
    expect(answer.error).toMatch(/- pass: .*boolean/);
    expect(answer.error).toMatch(/- risks: /);
  });

  it('fails on prose, broken JSON, arrays and empty text', () => {
    for (const text of ['I think it is fine, 8/10.', '{"score": 8, "pass": tru', '[1, 2]', '  ']) {
      const answer = parseJsonAnswer(text, reviewSchema);
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error).toMatch(/no JSON object|empty/);
    }
  });
});
