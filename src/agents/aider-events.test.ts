// Aider's output read line by line, and its exits classified: transcripts in the documented formats (docs/agents/aider.md).
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../domain/agent-events.ts';
import { classifyAiderExit } from './aider.ts';
import { createAiderParser, parseTokenCount } from './aider-events.ts';

function read(transcript: string): AgentEvent[] {
  const parse = createAiderParser();
  return transcript.split('\n').flatMap((line) => parse(line));
}

const results = (events: AgentEvent[]) => events.filter((event): event is Extract<AgentEvent, { kind: 'result' }> => event.kind === 'result');
const ok = { exitCode: 0, signal: null };
const killed = { exitCode: null, signal: 'SIGTERM' };

const banner = `Aider v0.86.1
Main model: anthropic/claude-sonnet-4-20250514 with diff edit format, infinite output
Weak model: anthropic/claude-3-5-haiku-20241022
Git repo: .git with 12 files
Repo-map: using 4096 tokens, auto refresh
`;

// Two model calls: the edit, then a fix for a lint error; the second shows both cache counts, so Cost gets its own line.
const twoCalls = `${banner}
I'll add the greeting to hello.py.

hello.py
\`\`\`python
<<<<<<< SEARCH
=======
print("hello")
>>>>>>> REPLACE
\`\`\`

Tokens: 2.1k sent, 131 received. Cost: $0.0013 message, $0.0013 session.
Applied edit to hello.py
Fix lint errors in hello.py? (Y)es/(N)o [Yes]: y
The lint error is fixed now.

Tokens: 12k sent, 1.0k cache write, 9.8k cache hit, 260 received.
Cost: $0.0100 message, $0.0113 session.
Applied edit to hello.py
Applied edit to src/app/main.py`;

describe('aider output', () => {
  it('reads token counts as aider formats them', () => {
    expect([parseTokenCount('131'), parseTokenCount('2.1k'), parseTokenCount('12k'), parseTokenCount('1,234')]).toEqual([131, 2100, 12000, 1234]);
  });

  it('turns edits into tool uses and each usage report into a result with the session so far', () => {
    const events = read(twoCalls);
    expect(events.filter((event) => event.kind === 'tool_use')).toEqual([
      { kind: 'tool_use', tool: 'Edit', summary: 'hello.py' },
      { kind: 'tool_use', tool: 'Edit', summary: 'hello.py' },
      { kind: 'tool_use', tool: 'Edit', summary: 'src/app/main.py' },
    ]);
    const [first, second, third] = results(events);
    expect(first).toMatchObject({ isError: false, turns: 1, costUsd: 0.0013, usage: { inputTokens: 2100, outputTokens: 131, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    expect(first?.text).toBe('I\'ll add the greeting to hello.py.\n\nhello.py\n```python\n<<<<<<< SEARCH\n=======\nprint("hello")\n>>>>>>> REPLACE\n```');
    // The tokens line of the second call, then its own Cost line.
    expect(second).toMatchObject({ turns: 2, costUsd: 0.0013, usage: { inputTokens: 13_100, outputTokens: 391, cacheReadTokens: 9800, cacheWriteTokens: 1000 } });
    expect(second?.text).toBe('The lint error is fixed now.');
    // orch's usage meter takes each result's numbers as the totals so far (not as increments): the last one wins.
    expect(third).toMatchObject({ isError: false, turns: 2, costUsd: 0.0113, usage: { inputTokens: 13_100, outputTokens: 391 } });
    expect(events.filter((event) => event.kind === 'raw')).toEqual([]);
    expect(events).toContainEqual({ kind: 'text', text: 'Aider v0.86.1' });
    expect(classifyAiderExit(ok, events)).toBe('ok');
  });

  it('reports tokens without cost for a model aider has no prices for', () => {
    const [result] = results(read(`${banner}\nDone.\n\nTokens: 950 sent, 12 received.`));
    expect(result).toMatchObject({ turns: 1, costUsd: 0, usage: { inputTokens: 950, outputTokens: 12 }, text: 'Done.' });
  });

  it('starts a new tally at the version banner (one log holding two runs)', () => {
    const events = read(`${banner}\nTokens: 1.0k sent, 10 received. Cost: $0.01 message, $0.01 session.\n${banner}\nTokens: 2.0k sent, 20 received. Cost: $0.02 message, $0.02 session.`);
    expect(results(events).at(-1)).toMatchObject({ turns: 1, costUsd: 0.02, usage: { inputTokens: 2000, outputTokens: 20 } });
  });

  it('strips colour codes and carriage returns', () => {
    expect(read('\u001b[32mApplied edit to a.txt\u001b[0m\r')).toEqual([{ kind: 'tool_use', tool: 'Edit', summary: 'a.txt' }]);
  });

  it('does not take a reply line that names an error for an error', () => {
    const events = read(`${banner}\nRateLimitError: raised when the quota is used up.\nTimeout: 30 seconds.\n\nTokens: 1.0k sent, 10 received.`);
    expect(results(events).map((event) => event.isError)).toEqual([false]);
    expect(classifyAiderExit(ok, events)).toBe('ok');
  });
});

// litellm's exception text as aider prints it (check_and_open_urls: the exception, then aider's own sentence).
const rateLimited = `litellm.RateLimitError: RateLimitError: OpenAIException - Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o'}}
The API provider has rate limited you. Try again later or check your quotas.`;
const authFailed = `litellm.AuthenticationError: AnthropicException - {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}
The API provider is not able to authenticate you. Check your API key.`;

describe('aider exits', () => {
  it.each([
    { name: 'a rate limit after retries', tail: `${rateLimited}\nRetrying in 0.2 seconds...\n${rateLimited}`, expected: 'rate_limited', status: 429 },
    { name: 'a bad key', tail: authFailed, expected: 'auth', status: 401 },
    { name: 'a connection error', tail: 'litellm.APIConnectionError: OpenAIException - Connection error.', expected: 'transient', status: null },
    { name: 'an overloaded server', tail: `litellm.InternalServerError: AnthropicException - Overloaded\nThe API provider's servers are down or overloaded.`, expected: 'transient', status: 500 },
    { name: 'a 503', tail: 'litellm.ServiceUnavailableError: OpenAIException - Error code: 503 - Service Unavailable', expected: 'transient', status: 503 },
    { name: 'an unknown model', tail: 'litellm.NotFoundError: OpenAIException - Error code: 404 - model not found', expected: 'fatal', status: 404 },
    { name: 'a proxy budget', tail: 'litellm.BudgetExceededError: Budget has been exceeded! Current cost: 1.2, Max budget: 1.0', expected: 'budget', status: null },
  ])('classifies $name as $expected, though aider exits 0', ({ tail, expected, status }) => {
    const events = read(`${banner}\n${tail}`);
    expect(results(events).at(-1)).toMatchObject({ isError: true, apiErrorStatus: status });
    expect(classifyAiderExit(ok, events)).toBe(expected);
  });

  it('is ok when a retry succeeded, and reports the retries', () => {
    const events = read(`${banner}\n${rateLimited}\nRetrying in 0.2 seconds...\n${rateLimited}\nRetrying in 0.5 seconds...\nDone.\n\nTokens: 1.0k sent, 10 received.`);
    expect(events.filter((event) => event.kind === 'retry')).toEqual([
      { kind: 'retry', attempt: 1, delayMs: 200, status: 429 },
      { kind: 'retry', attempt: 2, delayMs: 500, status: 429 },
    ]);
    expect(classifyAiderExit(ok, events)).toBe('ok');
  });

  it('reads a kill during retries by the last error', () => {
    const events = read(`${banner}\nlitellm.InternalServerError: AnthropicException - Overloaded\nRetrying in 0.2 seconds...`);
    expect(classifyAiderExit(killed, events)).toBe('transient');
  });

  it('fails an error after a successful call', () => {
    const events = read(`${banner}\nDone.\n\nTokens: 1.0k sent, 10 received.\nApplied edit to a.txt\n${authFailed}`);
    expect(classifyAiderExit(ok, events)).toBe('auth');
  });

  it('reads "no model and no key" as auth (aider would wait for a browser login)', () => {
    const events = read('No LLM model was specified and no API keys were provided.\nOpenRouter provides free and paid access to many LLMs.');
    expect(classifyAiderExit(killed, events)).toBe('auth');
    expect(classifyAiderExit(ok, events)).toBe('auth');
  });

  it('fails a refused option (exit 2), a setup error (exit 1) and a kill without a report', () => {
    expect(classifyAiderExit({ exitCode: 2, signal: null }, [])).toBe('fatal');
    expect(classifyAiderExit({ exitCode: 1, signal: null }, read('Message file not found: /nope'))).toBe('fatal');
    expect(classifyAiderExit(killed, read(`${banner}\nThinking...`))).toBe('fatal');
    expect(classifyAiderExit(ok, read(banner))).toBe('ok');
  });
});
