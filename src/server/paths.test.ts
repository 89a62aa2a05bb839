// Nothing in a URL reaches the filesystem: ids are checked before any lookup, static files stay in their root.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../domain/ids.ts';
import { useApiHarness } from '../../test/helpers/api-server.ts';

const { temp, harness } = useApiHarness();

describe('paths', () => {
  it('answers 400 or 404 to path traversal in ids, and never reads the file', async () => {
    const h = await harness();
    const attempts = [
      '/api/v1/attempts/..%2F..%2Fetc%2Fpasswd/logs',
      '/api/v1/attempts/..%2F..%2F..%2F..%2Fetc%2Fpasswd/diff',
      '/api/v1/attempts/%2e%2e/logs',
      '/api/v1/attempts/%252e%252e%252fetc%252fpasswd/logs',
      '/api/v1/attempts/att_0000000000000%00/logs',
      '/api/v1/attempts/att_00000000000000%2F..%2F..%2Fx/logs',
      '/api/v1/attempts/../../etc/passwd/logs',
      '/api/v1/runs/..%2F..%2Fetc/events',
      '/api/v1/runs/run_00000000000000%2F..%2F..%2Fetc%2Fpasswd/tasks',
    ];
    for (const path of attempts) {
      const response = await h.call('GET', path, { key: h.keys.read });
      expect([400, 404], path).toContain(response.status);
      expect(await response.text(), path).not.toContain('root:');
    }

    // Even a log path in the database outside orch's logs (a tampered database) is not read.
    const run = h.store.runs.create(
      { id: newId('run'), projectPath: '/nowhere', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} },
      process.pid,
    );
    const attempt = h.store.attempts.create({
      id: newId('att'),
      runId: run.id,
      taskKey: 'main',
      stepKey: 'attempt',
      n: 1,
      agent: 'command',
      model: null,
      branch: 'orch/x',
      worktree: '/nowhere',
      baseSha: 'a'.repeat(40),
      logPath: '/etc/passwd',
    });
    const logs = await h.call('GET', `/api/v1/attempts/${attempt.id}/logs`, { key: h.keys.read });
    expect(logs.status).toBe(404);
    expect(await logs.text()).not.toContain('root:');
  });

  it('serves the dashboard without a key, with the SPA fallback, and nothing outside its root', async () => {
    const dir = await temp.dir();
    const root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>orch</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'SECRET');
    const h = await harness({ webRoot: root });
    const get = (path: string) => h.call('GET', path, { key: null });

    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await (await get('/runs/run_00000000000000')).text()).toContain('<title>orch</title>');
    const script = await get('/assets/app.js');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/missing.js')).status).toBe(404);
    for (const path of ['/..%2Fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2F..%2Fsecret.txt', '/..%5Csecret.txt', '/%00']) {
      const response = await get(path);
      expect(await response.text(), path).not.toContain('SECRET');
    }
    const api = await get('/api/v1/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});
