import { describe, expect, it } from 'vitest';
import { splitAtFileName } from './format.ts';

describe('splitAtFileName', () => {
  it('keeps the last file name (and what follows it) apart from what may be cut', () => {
    expect(splitAtFileName('Edit src/components/dashboard/attempt-table.tsx')).toEqual({ head: 'Edit src/components/dashboard/', tail: 'attempt-table.tsx' });
    expect(splitAtFileName('Bash npm test -- test/e2e/web.test.ts --reporter dot')).toEqual({ head: 'Bash npm test -- test/e2e/', tail: 'web.test.ts --reporter dot' });
    expect(splitAtFileName('Read C:\\\\repo\\\\src\\\\main.ts')).toEqual({ head: 'Read C:\\\\repo\\\\src\\\\', tail: 'main.ts' });
  });

  it('leaves text without a path whole', () => {
    expect(splitAtFileName('thinking about it')).toEqual({ head: 'thinking about it', tail: '' });
    expect(splitAtFileName('WebFetch https://example.com/')).toEqual({ head: 'WebFetch https://example.com/', tail: '' });
  });
});
