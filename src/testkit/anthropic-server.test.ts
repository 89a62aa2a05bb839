import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { startScriptedAnthropicServer, type ScriptedAnthropicServer, type ScriptedServerOptions } from './index.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

let server: ScriptedAnthropicServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ScriptedServerOptions): Promise<ScriptedAnthropicServer> {
  server = await startScriptedAnthropicServer(options);
  return server;
}

interface Conversation {
  prompt?: string;
  cwd?: string;
  /** Assistant messages already in the conversation. */
  turn?: number;
  stream?: boolean;
}

/** A request shaped like Claude Code 2.1.329's: the cwd in a `role:"system"` message inside messages[]. */
function requestBody({ prompt = 'fix the bug', cwd = '/work/repo', turn = 0, stream = true }: Conversation): unknown {
  const messages: unknown[] = [
    { role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }, { type: 'text', text: prompt }] },
    { role: 'system', content: `# Environment\n - Primary working directory: ${cwd}\n - Is a git repository: false\n` },
  ];
  for (let index = 0; index < turn; index += 1) {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: `answer ${index}` }] });
    messages.push({ role: 'user', content: [{ type: 'text', text: 'go on' }] });
  }
  return { model: 'claude-test-1', max_tokens: 1000, stream, system: [{ type: 'text', text: 'You are an agent.' }], messages };
}

async function post(target: ScriptedAnthropicServer, body: unknown, path = '/v1/messages?beta=true'): Promise<Response> {
  return fetch(`${target.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

interface Sse {
  event: string;
  data: Record<string, unknown> & { type: string };
}

function parseSse(text: string): Sse[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? '{}') as Sse['data'];
      return { event, data };
    });
}

async function ask(target: ScriptedAnthropicServer, conversation: Conversation = {}): Promise<Sse[]> {
  const response = await post(target, requestBody(conversation));
  expect(response.status).toBe(200);
  return parseSse(await response.text());
}

/** The blocks of a streamed message, put back together the way a client does. */
function assemble(events: Sse[]): { content: Record<string, unknown>[]; stopReason: unknown; outputTokens: unknown } {
  const content: Record<string, unknown>[] = [];
  const json: string[] = [];
  let stopReason: unknown;
  let outputTokens: unknown;
  for (const { data } of events) {
    const index = data['index'] as number;
    if (data.type === 'content_block_start') {
      content[index] = { ...(data['content_block'] as Record<string, unknown>) };
      json[index] = '';
    } else if (data.type === 'content_block_delta') {
      const delta = data['delta'] as { type: string; text?: string; partial_json?: string };
      const block = content[index] ?? {};
      if (delta.type === 'text_delta') block['text'] = `${block['text'] as string}${delta.text ?? ''}`;
      else json[index] = `${json[index] ?? ''}${delta.partial_json ?? ''}`;
    } else if (data.type === 'content_block_stop') {
      const block = content[index] ?? {};
      if (block['type'] === 'tool_use') block['input'] = JSON.parse(json[index] ?? '{}') as unknown;
    } else if (data.type === 'message_delta') {
      stopReason = (data['delta'] as { stop_reason: unknown }).stop_reason;
      outputTokens = (data['usage'] as { output_tokens: unknown }).output_tokens;
    }
  }
  return { content, stopReason, outputTokens };
}

describe('scripted Anthropic server: the stream', () => {
  it('streams a text and a tool_use block as the Messages API does, {{cwd}} filled in', async () => {
    const target = await start({
      script: [{ text: 'Writing.', tool: 'Write', input: { file_path: '{{cwd}}/a.txt', content: 'A\n' }, usage: { input_tokens: 1234, output_tokens: 56 } }],
    });
    const events = await ask(target, { cwd: '/work/my repo' });

    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((event) => event.data.type === event.event)).toBe(true);
    const opening = events[0]?.data['message'] as Record<string, unknown>;
    expect(opening).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-test-1', content: [], stop_reason: null });
    expect(opening['usage']).toMatchObject({ input_tokens: 1234 });
    const message = assemble(events);
    expect(message.content).toEqual([
      { type: 'text', text: 'Writing.' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/) as unknown, name: 'Write', input: { file_path: '/work/my repo/a.txt', content: 'A\n' } },
    ]);
    expect(message.stopReason).toBe('tool_use');
    expect(message.outputTokens).toBe(56);
  });

  it('splits long tool input into several input_json_delta chunks', async () => {
    const content = 'x'.repeat(500);
    const target = await start({ script: [{ tool: 'Write', input: { file_path: '/a', content } }] });
    const events = await ask(target);
    expect(events.filter((event) => event.event === 'content_block_delta').length).toBeGreaterThan(1);
    expect(assemble(events).content[0]?.['input']).toEqual({ file_path: '/a', content });
  });

  it('answers the turn numbered by the assistant messages in the request, then "done" with end_turn', async () => {
    const target = await start({ script: [{ text: 'one' }, { tool: 'Bash', input: { command: 'npm test' } }] });
    expect(assemble(await ask(target, { turn: 0 })).content).toEqual([{ type: 'text', text: 'one' }]);
    expect(assemble(await ask(target, { turn: 1 })).content[0]).toMatchObject({ name: 'Bash', input: { command: 'npm test' } });
    // Asking again for turn 0 (a retry, a resume) gets the same answer: no hidden cursor.
    expect(assemble(await ask(target, { turn: 0 })).content).toEqual([{ type: 'text', text: 'one' }]);
    const end = assemble(await ask(target, { turn: 2 }));
    expect(end.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(end.stopReason).toBe('end_turn');
  });

  it('answers a non-streaming request with the whole message as JSON', async () => {
    const target = await start({ script: [{ blocks: [{ text: 'a' }, { text: 'b' }] }] });
    const response = await post(target, requestBody({ stream: false }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', content: [{ text: 'a' }, { text: 'b' }], stop_reason: 'end_turn' });
  });
});

describe('scripted Anthropic server: failures', () => {
  it('answers an error turn with its status, a JSON error body and retry-after, for ever by default', async () => {
    const target = await start({ script: [{ error: { status: 429, retryAfter: 7 } }, { text: 'never' }] });
    for (let index = 0; index < 3; index += 1) {
      const response = await post(target, requestBody({}));
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) as unknown } });
    }
  });

  it('serves a failure `times` times, then the answer after it', async () => {
    const target = await start({ script: [{ error: { status: 529 }, times: 2 }, { text: 'recovered' }] });
    expect((await post(target, requestBody({}))).status).toBe(529);
    const second = await post(target, requestBody({}));
    expect(await second.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    expect(assemble(await ask(target)).content).toEqual([{ type: 'text', text: 'recovered' }]);
  });

  it('hangs until the server closes', async () => {
    const target = await start({ script: [{ hang: true }] });
    let answered = false;
    const pending = post(target, requestBody({}));
    void pending.then(() => (answered = true), () => undefined);
    await waitFor(() => target.requestLog.at(-1)?.answer === 'hang', { what: 'the request to be logged as hanging' });
    expect(answered).toBe(false);
    await target.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });

  it('cuts a stream off mid-message', async () => {
    const target = await start({ script: [{ cut: true }] });
    const response = await post(target, requestBody({}));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('waits delayMs before answering', async () => {
    const target = await start({ script: [{ text: 'slow', delayMs: 150 }] });
    const started = Date.now();
    await ask(target);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects an invalid script with a ConfigError naming the problem', async () => {
    await expect(startScriptedAnthropicServer({ script: [{ tool: 'Write' }] })).rejects.toThrow(ConfigError);
    await expect(startScriptedAnthropicServer({ script: [{ error: { status: 200 } }] })).rejects.toThrow(/status/);
  });
});

describe('scripted Anthropic server: several scripts', () => {
  it('picks the script whose match holds: a marker in the prompt, or the cwd', async () => {
    const target = await start({
      scripts: [
        { name: 'bad', match: { cwd: '/attempt-1' }, turns: [{ text: 'bad fix' }] },
        { name: 'good', match: { cwd: '/attempt-2' }, turns: [{ text: 'good fix' }] },
        { name: 'review', match: { prompt: '[review]' }, turns: [{ text: 'looks fine' }] },
        { name: 'fallback', turns: [{ text: 'default' }] },
      ],
    });
    const text = async (conversation: Conversation): Promise<unknown> => assemble(await ask(target, conversation)).content[0]?.['text'];
    expect(await text({ cwd: '/wt/attempt-2' })).toBe('good fix');
    expect(await text({ cwd: '/wt/attempt-1' })).toBe('bad fix');
    expect(await text({ prompt: 'please [review] this', cwd: '/elsewhere' })).toBe('looks fine');
    expect(await text({ cwd: '/elsewhere' })).toBe('default');
    expect(target.requestLog.map((entry) => entry.script)).toEqual(['good', 'bad', 'review', 'fallback']);
  });

  it('deals scripts without match to conversations in arrival order, each keeping its own', async () => {
    const target = await start({ scripts: [{ turns: [{ text: 'first-0' }, { text: 'first-1' }] }, { turns: [{ text: 'second-0' }, { text: 'second-1' }] }] });
    const text = async (conversation: Conversation): Promise<unknown> => assemble(await ask(target, conversation)).content[0]?.['text'];
    expect(await text({ cwd: '/a' })).toBe('first-0');
    expect(await text({ cwd: '/b' })).toBe('second-0');
    expect(await text({ cwd: '/a', turn: 1 })).toBe('first-1');
    expect(await text({ cwd: '/b', turn: 1 })).toBe('second-1');
    // Past the end of the deck the last script is reused.
    expect(await text({ cwd: '/c' })).toBe('second-0');
  });

  it('counts failures per script and position, across conversations (a resumed session is a new one)', async () => {
    const target = await start({ script: [{ error: { status: 500 }, times: 2 }, { text: 'ok' }] });
    expect((await post(target, requestBody({ cwd: '/a' }))).status).toBe(500);
    expect((await post(target, requestBody({ cwd: '/b' }))).status).toBe(500);
    expect((await post(target, requestBody({ cwd: '/a' }))).status).toBe(200);
    expect((await post(target, requestBody({ cwd: '/c' }))).status).toBe(200);
  });

  it('ends at once when there is no script', async () => {
    const target = await start({});
    expect(assemble(await ask(target)).content).toEqual([{ type: 'text', text: 'done' }]);
  });
});

describe('scripted Anthropic server: bookkeeping and other routes', () => {
  it('counts messages requests and logs what it answered', async () => {
    const target = await start({ script: [{ text: 'hi' }] });
    expect(target.requests).toBe(0);
    const response = await fetch(`${target.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-claude-code-session-id': 'session-1' },
      body: JSON.stringify(requestBody({ cwd: '/work/a' })),
    });
    await response.text();
    await ask(target, { turn: 1 });
    expect(target.requests).toBe(2);
    expect(target.requestLog[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      route: 'messages',
      script: '#0',
      turn: 0,
      cwd: '/work/a',
      sessionId: 'session-1',
      answer: 'message',
    });
    expect(target.requestLog[1]).toMatchObject({ turn: 1, answer: 'end' });
  });

  it('answers probes and count_tokens without counting them, and 404s unknown POST routes', async () => {
    const target = await start({ script: [] });
    expect((await fetch(target.url, { method: 'HEAD' })).status).toBe(200);
    expect(await (await fetch(`${target.url}/v1/models`)).json()).toEqual({});
    const tokens = await post(target, requestBody({}), '/v1/messages/count_tokens');
    expect(await tokens.json()).toEqual({ input_tokens: expect.any(Number) as unknown });
    const unknown = await post(target, {}, '/v1/complete');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(target.requests).toBe(0);
    expect(target.requestLog.map((entry) => entry.route)).toEqual(['other', 'other', 'count_tokens', 'other']);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const target = await start({ script: [] });
    const response = await fetch(`${target.url}/v1/messages`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
