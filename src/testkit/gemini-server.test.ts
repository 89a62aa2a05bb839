import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.ts';
import { startScriptedGeminiServer, type ScriptedGeminiServer, type ScriptedServerOptions } from './index.ts';

let server: ScriptedGeminiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ScriptedServerOptions): Promise<ScriptedGeminiServer> {
  server = await startScriptedGeminiServer(options);
  return server;
}

interface Conversation {
  prompt?: string;
  cwd?: string;
  /** Model answers already in the conversation. */
  turn?: number;
  tools?: string[];
}

/** A request shaped like Gemini CLI 0.61's: the session context, then the prompt, in the first user content. */
function requestBody({ prompt = 'fix the bug', cwd = '/work/repo', turn = 0, tools = ['write_file', 'run_shell_command'] }: Conversation): unknown {
  const context = `<session_context>\nThis is the Gemini CLI.\n- **Workspace Directories:**\n  - ${cwd}\n- **Directory Structure:**\n</session_context>`;
  const contents: unknown[] = [{ role: 'user', parts: [{ text: context }, { text: prompt }] }];
  for (let index = 0; index < turn; index += 1) {
    contents.push({ role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'ls' } } }] });
    contents.push({ role: 'user', parts: [{ functionResponse: { name: 'run_shell_command', response: { output: 'x' } } }] });
  }
  return { contents, systemInstruction: { parts: [{ text: 'You are an agent.' }] }, tools: [{ functionDeclarations: tools.map((name) => ({ name })) }], generationConfig: { temperature: 1 } };
}

const chatPath = '/v1beta/models/gemini-test:streamGenerateContent?alt=sse';

async function post(target: ScriptedGeminiServer, body: unknown, path = chatPath): Promise<Response> {
  return fetch(`${target.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': 'key-1' }, body: JSON.stringify(body) });
}

type Chunk = { candidates: { content: { parts: Record<string, unknown>[] }; finishReason?: string }[]; usageMetadata?: Record<string, number>; modelVersion: string };

async function ask(target: ScriptedGeminiServer, conversation: Conversation = {}): Promise<Chunk[]> {
  const response = await post(target, requestBody(conversation));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return (await response.text())
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => JSON.parse(chunk.replace(/^data: /, '')) as Chunk);
}

function partsOf(chunks: Chunk[]): Record<string, unknown>[] {
  return chunks.flatMap((chunk) => chunk.candidates[0]?.content.parts ?? []);
}

describe('scripted Gemini server', () => {
  it('streams a text and a Write as write_file, {{cwd}} filled in, the usage and finish reason last', async () => {
    const target = await start({ script: [{ text: 'Writing.', tool: 'Write', input: { file_path: '{{cwd}}/a.txt', content: 'x\n' }, usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 30 } }] });
    const chunks = await ask(target, { cwd: '/work/repo' });
    expect(partsOf(chunks)).toEqual([
      { text: 'Writing.' },
      { functionCall: { id: expect.any(String) as unknown, name: 'write_file', args: { file_path: '/work/repo/a.txt', content: 'x\n' } } },
    ]);
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 40, cachedContentTokenCount: 30, candidatesTokenCount: 5, totalTokenCount: 45 }, modelVersion: 'gemini-test' });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usageMetadata === undefined)).toBe(true);
  });

  it('maps Bash, Read and Edit to Gemini CLI tools, and passes other tools through raw', async () => {
    const target = await start({
      script: [
        {
          blocks: [
            { tool: 'Bash', input: { command: 'npm test', description: 'Run the tests' } },
            { tool: 'Read', input: { file_path: '/w/a.txt' } },
            { tool: 'Edit', input: { file_path: '/w/a.txt', old_string: 'a', new_string: 'b' } },
            { tool: 'list_directory', input: { dir_path: '/w' } },
          ],
        },
      ],
    });
    const calls = partsOf(await ask(target)).map((part) => part['functionCall'] as { name: string; args: unknown });
    expect(calls.map(({ name, args }) => ({ name, args }))).toEqual([
      { name: 'run_shell_command', args: { command: 'npm test', description: 'Run the tests' } },
      { name: 'read_file', args: { file_path: '/w/a.txt' } },
      { name: 'replace', args: { instruction: 'Scripted edit.', file_path: '/w/a.txt', old_string: 'a', new_string: 'b' } },
      { name: 'list_directory', args: { dir_path: '/w' } },
    ]);
  });

  it('splits a long text into several chunks', async () => {
    const text = 'x'.repeat(150);
    const target = await start({ script: [{ text }] });
    const chunks = await ask(target);
    expect(chunks).toHaveLength(3);
    expect(partsOf(chunks).map((part) => part['text']).join('')).toBe(text);
  });

  it('answers the turn numbered by the model contents in the request, then "done"', async () => {
    const target = await start({ script: [{ text: 'zero' }, { text: 'one' }] });
    expect(partsOf(await ask(target, { turn: 1 }))).toEqual([{ text: 'one' }]);
    expect(partsOf(await ask(target, { turn: 2 }))).toEqual([{ text: 'done' }]);
    expect(target.requestLog.map((request) => [request.route, request.turn, request.cwd])).toEqual([
      ['chat', 1, '/work/repo'],
      ['chat', 2, '/work/repo'],
    ]);
  });

  it('answers utility calls (the router, the next-speaker check) itself, from their JSON schema', async () => {
    const target = await start({ script: [{ error: { status: 429 } }] });
    const router = {
      contents: [{ role: 'user', parts: [{ text: 'fix the bug' }] }],
      generationConfig: {
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'OBJECT', properties: { complexity_reasoning: { type: 'STRING' }, complexity_score: { type: 'INTEGER' } } },
      },
    };
    const response = await post(target, router, '/v1beta/models/gemini-lite:generateContent');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Chunk;
    const answer = JSON.parse(String(body.candidates[0]?.content.parts[0]?.['text'])) as unknown;
    expect(answer).toEqual({ complexity_reasoning: expect.any(String) as unknown, complexity_score: 1 });
    const speaker = { ...router, generationConfig: { responseJsonSchema: { type: 'object', properties: { reasoning: { type: 'string' }, next_speaker: { type: 'string', enum: ['user', 'model'] } } } } };
    const next = (await (await post(target, speaker, '/v1beta/models/gemini-lite:generateContent')).json()) as Chunk;
    expect(JSON.parse(String(next.candidates[0]?.content.parts[0]?.['text']))).toMatchObject({ next_speaker: 'user' });
    // Neither counts as a chat request nor uses up the scripted failure.
    expect(target.requests).toBe(0);
    expect(target.requestLog.map((request) => [request.route, request.model])).toEqual([
      ['utility', 'gemini-lite'],
      ['utility', 'gemini-lite'],
    ]);
    expect((await post(target, requestBody({}))).status).toBe(429);
  });

  it('answers a plain generateContent chat turn with the whole response as JSON', async () => {
    const target = await start({ script: [{ text: 'whole' }] });
    const response = await post(target, requestBody({}), '/v1beta/models/gemini-test:generateContent');
    expect(((await response.json()) as Chunk).candidates[0]?.content.parts).toEqual([{ text: 'whole' }]);
  });

  it('answers an error turn with its status, a Google error body, retry-after and RetryInfo', async () => {
    const target = await start({ script: [{ error: { status: 429, retryAfter: 7 }, times: 1 }, { text: 'back' }] });
    const response = await post(target, requestBody({}));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({
      error: { code: 429, message: 'scripted RESOURCE_EXHAUSTED (429)', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }] },
    });
    expect(partsOf(await ask(target))).toEqual([{ text: 'back' }]);
  });

  it('cuts a stream off after its first chunk', async () => {
    const target = await start({ script: [{ cut: true }] });
    const response = await post(target, requestBody({}));
    await expect(response.text()).rejects.toThrow();
    expect(target.requestLog[0]?.answer).toBe('cut');
  });

  it('matches scripts by cwd and by the prompt, not by the session context', async () => {
    const target = await start({
      scripts: [
        { name: 'by-cwd', match: { cwd: '/work/b' }, turns: [{ text: 'b' }] },
        { name: 'by-prompt', match: { prompt: 'marker-7' }, turns: [{ text: 'seven' }] },
        { name: 'by-context', match: { prompt: 'Workspace Directories' }, turns: [{ text: 'never' }] },
        { name: 'default', turns: [{ text: 'default' }] },
      ],
    });
    expect(partsOf(await ask(target, { cwd: '/work/b' }))).toEqual([{ text: 'b' }]);
    expect(partsOf(await ask(target, { prompt: 'do marker-7 now' }))).toEqual([{ text: 'seven' }]);
    expect(partsOf(await ask(target, { cwd: '/work/c', prompt: 'other' }))).toEqual([{ text: 'default' }]);
    expect(target.requestLog.map((request) => request.script)).toEqual(['by-cwd', 'by-prompt', 'default']);
  });

  it('rejects an invalid script with a ConfigError', async () => {
    await expect(startScriptedGeminiServer({ script: [{ tool: 'Write' }] })).rejects.toThrow(ConfigError);
  });

  it('answers countTokens and probes, and 404s unknown POST routes', async () => {
    const target = await start({ script: [] });
    expect((await post(target, requestBody({}), '/v1beta/models/gemini-test:countTokens')).status).toBe(200);
    expect((await fetch(`${target.url}/`)).status).toBe(200);
    expect((await post(target, {}, '/v1beta/other')).status).toBe(404);
    expect(target.requests).toBe(0);
  });
});
