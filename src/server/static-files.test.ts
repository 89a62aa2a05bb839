import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { staticFiles } from './static-files.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the dashboard files', () => {
  it('may not be framed by another site, nor sniffed as another type', async () => {
    const root = await mkdtemp(join(tmpdir(), 'orch-web-'));
    dirs.push(root);
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    const app = new Hono().get('*', staticFiles(root));
    for (const [path, status] of [['/', 200], ['/runs/run_1', 200], ['/assets/app.js', 200], ['/assets/missing.js', 404], ['/%E0%A4%A', 400]] as const) {
      const response = await app.request(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
