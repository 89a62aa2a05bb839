import { describe, expect, it } from 'vitest';
import { activityLine, oneLine } from './format.ts';

describe('oneLine', () => {
  it('removes terminal escape sequences from agent text', () => {
    expect(oneLine('set \u001b]52;c;ZXZpbA==\u0007clipboard\r\nnext')).toBe('set clipboard ⏎ next');
    expect(activityLine({ kind: 'text', text: '\u001b[2J\u001b]0;title\u0007hello' })).toBe('hello');
  });
});
