import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { startScriptedOpenAIServer, writeCodexHome, type ScriptedOpenAIServer, type ScriptedServerOptions } from './index.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

let server: ScriptedOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ScriptedServerOptions): Promise<ScriptedOpenAIServer> {
  server = await startScriptedOpenAIServer(options);
  return server;
}

interface Conversation {
  prompt?: string;
  cwd?: string;
  /** Model answers already in the conversation, each a text and a tool call with its output. */
  turn?: number;
  stream?: boolean;
  tools?: string[];
}

/** A request shaped like Codex 0.169's: developer messages, then context as user messages, then the prompt. */
function requestBody({ prompt = 'fix the bug', cwd = '/work/repo', turn = 0, stream = true, tools = ['exec_command', 'apply_patch'] }: Conversation): unknown {
  const input: unknown[] = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\nBe nice.\n</INSTRUCTIONS>` },
        { type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` },
      ],
    },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] },
  ];
  for (let index = 0; index < turn; index += 1) {
    input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer ${index}` }] });
    input.push({ type: 'function_call', call_id: `c${index}a`, name: 'exec_command', arguments: '{}' });
    input.push({ type: 'function_call', call_id: `c${index}b`, name: 'exec_command', arguments: '{}' });
    input.push({ type: 'function_call_output', call_id: `c${index}a`, output: 'ok' });
    input.push({ type: 'function_call_output', call_id: `c${index}b`, output: 'ok' });
  }
  const toolList = tools.map((name) => (name === 'apply_patch' ? { type: 'custom', name } : { type: 'function', name, parameters: {} }));
  return { model: 'gpt-5.5', stream, input, tools: toolList, store: false };
}

async function post(target: ScriptedOpenAIServer, body: unknown, path = '/responses'): Promise<Response> {
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

async function ask(target: ScriptedOpenAIServer, conversation: Conversation = {}): Promise<Sse[]> {
  const response = await post(target, requestBody(conversation));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return parseSse(await response.text());
}

type Item = Record<string, unknown>;

/** The output items as a client assembles them from the deltas, checked against each output_item.done. */
function assemble(events: Sse[]): { items: Item[]; usage: unknown } {
  const items: Item[] = [];
  let usage: unknown;
  for (const { data } of events) {
    const index = data['output_index'] as number;
    const item = items[index];
    switch (data.type) {
      case 'response.output_item.added':
        items[index] = { ...(data['item'] as Item) };
        break;
      case 'response.output_text.delta':
        if (item !== undefined) item['text'] = `${(item['text'] as string | undefined) ?? ''}${data['delta'] as string}`;
        break;
      case 'response.function_call_arguments.delta':
        if (item !== undefined) item['arguments'] = `${item['arguments'] as string}${data['delta'] as string}`;
        break;
      case 'response.custom_tool_call_input.delta':
        if (item !== undefined) item['input'] = `${item['input'] as string}${data['delta'] as string}`;
        break;
      case 'response.output_item.done': {
        const done = data['item'] as Item;
        if (done['type'] === 'message') {
          expect((done['content'] as { text: string }[])[0]?.text).toBe(item?.['text']);
        } else {
          expect({ ...done, status: 'in_progress' }).toEqual(item);
        }
        items[index] = done;
        break;
      }
      case 'response.completed':
        usage = (data['response'] as { usage: unknown }).usage;
    }
  }
  return { items, usage };
}

describe('scripted OpenAI server: the stream', () => {
  it('streams a text and a Write as the Responses API does, the Write an apply_patch, {{cwd}} filled in', async () => {
    const target = await start({
      script: [{ text: 'Writing in {{cwd}}.', tool: 'Write', input: { file_path: '{{cwd}}/a.txt', content: 'A\nB\n' }, usage: { input_tokens: 1000, output_tokens: 56, cache_read_input_tokens: 200 } }],
    });
    const events = await ask(target, { cwd: '/work/my repo' });

    expect(events.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.custom_tool_call_input.delta', // the patch is 71 characters: two deltas of at most 64
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.every((event) => event.data.type === event.event)).toBe(true);
    expect(events.map((event) => event.data['sequence_number'])).toEqual(events.map((_, index) => index));
    expect(events[0]?.data['response']).toMatchObject({ id: 'resp_scripted_1', object: 'response', status: 'in_progress', model: 'gpt-5.5', output: [] });
    const { items, usage } = assemble(events);
    expect(items).toEqual([
      { id: 'msg_scripted_1_0', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Writing in /work/my repo.', annotations: [] }] },
      {
        id: 'ctc_scripted_1_1',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'call_scripted_1_1',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** Add File: /work/my repo/a.txt\n+A\n+B\n*** End Patch\n',
      },
    ]);
    expect(usage).toEqual({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 200, cache_write_tokens: 0 },
      output_tokens: 56,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1256,
    });
  });

  it('maps Bash, Read and Edit to exec_command and apply_patch, and passes other tools through raw', async () => {
    const target = await start({
      script: [
        {
          blocks: [
            { tool: 'Bash', input: { command: 'npm test' } },
            { tool: 'Read', input: { file_path: "/w/it's.txt" } },
            { tool: 'Edit', input: { file_path: 'src/a.js', old_string: 'one\ntwo\n', new_string: 'three\n' } },
            { tool: 'exec_command', input: { cmd: 'ls', workdir: '/tmp' }, id: 'call_mine' },
            { tool: 'apply_patch', input: { input: '*** Begin Patch\n*** Delete File: x\n*** End Patch\n' } },
          ],
        },
      ],
    });
    const { items } = assemble(await ask(target));
    expect(items.map((item) => [item['type'], item['name'], item['arguments'] ?? item['input']])).toEqual([
      ['function_call', 'exec_command', JSON.stringify({ cmd: 'npm test' })],
      ['function_call', 'exec_command', JSON.stringify({ cmd: `cat -- '/w/it'\\''s.txt'` })],
      ['custom_tool_call', 'apply_patch', '*** Begin Patch\n*** Update File: src/a.js\n@@\n-one\n-two\n+three\n*** End Patch\n'],
      ['function_call', 'exec_command', JSON.stringify({ cmd: 'ls', workdir: '/tmp' })],
      ['custom_tool_call', 'apply_patch', '*** Begin Patch\n*** Delete File: x\n*** End Patch\n'],
    ]);
    expect(items[3]?.['call_id']).toBe('call_mine');
  });

  it('writes through exec_command when the request offers no apply_patch (a model Codex does not know)', async () => {
    const target = await start({ script: [{ tool: 'Write', input: { file_path: 'd/a.txt', content: "it's\n" } }] });
    const { items } = assemble(await ask(target, { tools: ['exec_command', 'write_stdin'] }));
    expect(items).toMatchObject([{ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: `mkdir -p -- 'd' && printf '%s' 'it'\\''s\n' > 'd/a.txt'` }) }]);
  });

  it('splits long texts and arguments into several deltas', async () => {
    const content = 'x'.repeat(500);
    const target = await start({ script: [{ text: content, tool: 'Bash', input: { command: content } }] });
    const events = await ask(target);
    expect(events.filter((event) => event.event === 'response.output_text.delta').length).toBeGreaterThan(1);
    expect(events.filter((event) => event.event === 'response.function_call_arguments.delta').length).toBeGreaterThan(1);
    expect(assemble(events).items[1]?.['arguments']).toBe(JSON.stringify({ cmd: content }));
  });

  it('answers the turn numbered by the model answers in the input, then "done"', async () => {
    const target = await start({ script: [{ text: 'one' }, { tool: 'Bash', input: { command: 'npm test' } }] });
    const text = (items: Item[]): unknown => (items[0]?.['content'] as { text: string }[] | undefined)?.[0]?.text;
    expect(text(assemble(await ask(target, { turn: 0 })).items)).toBe('one');
    expect(assemble(await ask(target, { turn: 1 })).items[0]).toMatchObject({ type: 'function_call', name: 'exec_command' });
    // Asking again for turn 0 (a retry, a resume) gets the same answer: no hidden cursor.
    expect(text(assemble(await ask(target, { turn: 0 })).items)).toBe('one');
    expect(text(assemble(await ask(target, { turn: 2 })).items)).toBe('done');
    expect(target.requestLog.map((entry) => entry.turn)).toEqual([0, 1, 0, 2]);
  });

  it('answers a non-streaming request with the whole response as JSON', async () => {
    const target = await start({ script: [{ text: 'a' }] });
    const response = await post(target, requestBody({ stream: false }));
    expect(await response.json()).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message', content: [{ text: 'a' }] }] });
  });
});

describe('scripted OpenAI server: failures', () => {
  it('answers an error turn with its status, an OpenAI error body and retry-after', async () => {
    const target = await start({ script: [{ error: { status: 429, retryAfter: 7 } }, { text: 'never' }] });
    for (let index = 0; index < 2; index += 1) {
      const response = await post(target, requestBody({}));
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual({ error: { message: expect.any(String) as unknown, type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    }
  });

  it('serves a failure `times` times, then the answer; a scripted type becomes type and code', async () => {
    const target = await start({ script: [{ error: { status: 429, type: 'insufficient_quota', message: 'no money' }, times: 1 }, { text: 'recovered' }] });
    const failed = await post(target, requestBody({}));
    expect(await failed.json()).toEqual({ error: { message: 'no money', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    expect(assemble(await ask(target)).items[0]).toMatchObject({ content: [{ text: 'recovered' }] });
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

  it('cuts a stream off after its first delta', async () => {
    const target = await start({ script: [{ cut: true }] });
    const response = await post(target, requestBody({}));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('rejects an invalid script with a ConfigError', async () => {
    await expect(startScriptedOpenAIServer({ script: [{ tool: 'Write' }] })).rejects.toThrow(ConfigError);
  });
});

describe('scripted OpenAI server: scripts, bookkeeping, routes', () => {
  it('matches scripts by cwd and by the prompt, not by the context messages before it', async () => {
    const target = await start({
      scripts: [
        { name: 'two', match: { cwd: '/attempt-2' }, turns: [{ text: 'good fix' }] },
        { name: 'review', match: { prompt: '[review]' }, turns: [{ text: 'looks fine' }] },
        { name: 'agents-md', match: { prompt: 'Be nice' }, turns: [{ text: 'wrong: matched the AGENTS.md context' }] },
        { name: 'fallback', turns: [{ text: 'default' }] },
      ],
    });
    await ask(target, { cwd: '/wt/attempt-2' });
    await ask(target, { prompt: 'please [review] this', cwd: '/elsewhere' });
    await ask(target, { cwd: '/elsewhere' });
    expect(target.requestLog.map((entry) => [entry.script, entry.cwd])).toEqual([
      ['two', '/wt/attempt-2'],
      ['review', '/elsewhere'],
      ['fallback', '/elsewhere'],
    ]);
  });

  it('counts responses requests only, logs the session header, and 404s unknown POST routes', async () => {
    const target = await start({ script: [{ text: 'hi' }] });
    expect(target.url).toBe(`http://127.0.0.1:${target.port}/v1`);
    const response = await fetch(`${target.url}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'session-id': 'thread-1' },
      body: JSON.stringify(requestBody({ cwd: '/work/a' })),
    });
    await response.text();
    expect((await fetch(`${target.url}/models`)).status).toBe(200);
    const unknown = await post(target, {}, '/chat/completions');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const notJson = await fetch(`${target.url}/responses`, { method: 'POST', body: 'not json' });
    expect(notJson.status).toBe(400);
    expect(target.requests).toBe(2);
    expect(target.requestLog.map((entry) => entry.route)).toEqual(['responses', 'other', 'other', 'responses']);
    expect(target.requestLog[0]).toMatchObject({ path: '/v1/responses', script: '#0', turn: 0, cwd: '/work/a', sessionId: 'thread-1', answer: 'message' });
  });
});

describe('writeCodexHome', () => {
  it('writes a config.toml for the provider and returns the env to run Codex with', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'orch-codex-home-')), 'home');
    try {
      const home = writeCodexHome(dir, { baseUrl: 'http://127.0.0.1:1234/v1' });
      expect(home.env).toEqual({ CODEX_HOME: dir, ORCH_SCRIPTED_API_KEY: 'sk-orch-scripted' });
      const toml = readFileSync(join(dir, 'config.toml'), 'utf8');
      for (const line of ['model = "gpt-5.5"', 'model_provider = "orch-scripted"', 'check_for_update_on_startup = false', 'base_url = "http://127.0.0.1:1234/v1"', 'wire_api = "responses"', 'stream_max_retries = 0']) {
        expect(toml).toContain(line);
      }
      expect(writeCodexHome(dir, { baseUrl: 'x', apiKey: null, envKey: 'MY_KEY', model: 'o9' }).env).toEqual({ CODEX_HOME: dir });
      expect(readFileSync(join(dir, 'config.toml'), 'utf8')).toContain('env_key = "MY_KEY"');
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
