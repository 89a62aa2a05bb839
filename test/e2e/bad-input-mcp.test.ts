// `orch mcp-delegate` (the MCP server orch gives agents) on messages that are valid JSON but not requests: each gets
// the JSON-RPC error the specification names, and the server keeps serving (it used to crash on `null.method`).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseCounter, createStore, useSuiteTemp } from '../helpers/bad-input.ts';
import { repoRoot } from '../helpers/orch-cli.ts';

const temp = useSuiteTemp();
const count = caseCounter('mcp');

/** [what was sent, the answer expected (id and error code), or null for none]. */
const cases: [string, { id: unknown; code: number } | null][] = [
  ['[]', { id: null, code: -32600 }],
  ['[{"jsonrpc":"2.0","id":1,"method":"ping"}]', { id: null, code: -32600 }],
  ['null', { id: null, code: -32600 }],
  ['42', { id: null, code: -32600 }],
  ['"tools/list"', { id: null, code: -32600 }],
  ['true', { id: null, code: -32600 }],
  ['{"jsonrpc":"2.0","id":2,"method":5}', { id: 2, code: -32600 }],
  ['{"jsonrpc":"2.0","id":3}', { id: 3, code: -32600 }],
  ['{"jsonrpc":"1.0","id":4,"method":"ping"}', { id: 4, code: -32600 }],
  ['{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', { id: null, code: -32600 }],
  ['{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}', { id: 5, code: -32600 }],
  ['{"jsonrpc":"2.0","id":6,"method":"tools/call","params":[1,2]}', { id: 6, code: -32602 }],
  ['{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":5}}', { id: 7, code: -32602 }],
  ['{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"delegate","arguments":"rm -rf /"}}', { id: 8, code: -32602 }],
  ['{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"nope"}}', { id: 9, code: -32602 }],
  ['{"jsonrpc":"2.0","id":10,"method":"no/such"}', { id: 10, code: -32601 }],
  ['{not json', { id: null, code: -32700 }],
  ['{"jsonrpc":"2.0","id":11,"result":{}}', null],
  ['{"jsonrpc":"2.0","method":"notifications/initialized"}', null],
];

describe('orch mcp-delegate answers what is not a request with JSON-RPC errors and keeps serving', () => {
  it(`${cases.length} malformed messages, then a ping that is answered`, async () => {
    for (const _ of cases) count();
    const home = join(await temp.dir(), 'home');
    createStore(home);
    const child = spawn(process.execPath, [join(repoRoot, 'bin/orch.js'), 'mcp-delegate'], {
      env: { ...process.env, ORCH_HOME: home, ORCH_DELEGATE_PARENT_RUN: 'run_00000000000000', ORCH_DELEGATE_PARENT_ATTEMPT: 'att_00000000000000' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const answers: Record<string, unknown>[] = [];
    const lines = createInterface({ input: child.stdout });
    const pingAnswered = new Promise<void>((resolve) => {
      lines.on('line', (line) => {
        const answer = JSON.parse(line) as Record<string, unknown>;
        answers.push(answer);
        if (answer['id'] === 'last') resolve();
      });
    });
    for (const [message] of cases) child.stdin.write(`${message}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'ping' })}\n`);
    await pingAnswered;
    child.stdin.end();
    expect(await exited, stderr).toBe(0);
    expect(stderr).toBe('');

    const expected = cases.flatMap(([, answer]) => (answer === null ? [] : [answer]));
    const errors = answers.filter((a) => a['error'] !== undefined);
    expect(errors.map((a) => ({ id: a['id'], code: (a['error'] as { code: number }).code }))).toEqual(expected);
    for (const error of errors) {
      expect(error['jsonrpc']).toBe('2.0');
      expect((error['error'] as { message: string }).message).toMatch(/\w/);
    }
    expect(answers.at(-1)).toEqual({ jsonrpc: '2.0', id: 'last', result: {} });
  });
});
