// Every route is enumerated from the app itself, so a route cannot be added without these checks covering it.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Engine } from '../engine/run/engine.ts';
import { useApiHarness } from '../../test/helpers/api-server.ts';
import type { responses } from './schemas.ts';

const { harness } = useApiHarness();

interface Operation {
  'x-orch-scope': 'public' | 'read' | 'write';
  security: unknown[];
}

/** A concrete URL for a documented path: a well-formed id of the right kind (auth comes before any lookup). */
const fill = (path: string) => path.replace('{id}', path.startsWith('/api/v1/attempts/') ? 'att_00000000000000' : 'run_00000000000000');

describe('API auth', () => {
  it('lists every route in the OpenAPI document, and needs a key (of the right scope) on each but /health', async () => {
    const h = await harness();
    const docResponse = await h.call('GET', '/api/v1/openapi.json', { key: h.keys.read });
    expect(docResponse.status).toBe(200);
    const doc = (await docResponse.json()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toBe('3.1.0');

    // The app's own route table, as hono registered it: the document must list exactly these.
    const registered = h.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(registered);
    expect(registered.length).toBeGreaterThanOrEqual(17);

    const revoked = h.store.apiKeys.create('revoked', ['read', 'write']);
    h.store.apiKeys.revoke(revoked.record.id);
    const wellFormedUnknown = `orch_${'A'.repeat(40)}`;
    for (const entry of registered) {
      const [method = '', path = ''] = entry.split(' ');
      const op = doc.paths[path]?.[method];
      const url = fill(path);
      const label = `${method.toUpperCase()} ${url}`;
      if (op?.['x-orch-scope'] === 'public') {
        expect((await h.call(method, url, { key: null })).status, label).toBe(200);
        continue;
      }
      expect(op?.security.length, label).toBeGreaterThan(0);
      // Changing the world needs the write scope: a POST can never be a read route.
      if (method === 'post') expect(op?.['x-orch-scope'], label).toBe('write');

      const none = await h.call(method, url, { key: null });
      expect(none.status, `${label} without a key`).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      for (const bad of [wellFormedUnknown, 'nope', revoked.key]) {
        expect((await h.call(method, url, { key: bad })).status, `${label} with a bad key`).toBe(401);
      }
      expect((await h.call(method, url, { key: null, headers: { 'x-api-key': wellFormedUnknown } })).status, label).toBe(401);

      const asReader = await h.call(method, url, { key: h.keys.read, headers: { 'x-api-key': h.keys.read } });
      if (op?.['x-orch-scope'] === 'write') {
        expect(asReader.status, `${label} with a read key`).toBe(403);
      } else {
        expect([401, 403], `${label} with a read key`).not.toContain(asReader.status);
      }
      await asReader.body?.cancel();
    }
  });

  it('takes the key as X-API-Key too, and never echoes it', async () => {
    const h = await harness();
    const response = await h.call('GET', '/api/v1/runs', { key: null, headers: { 'x-api-key': h.keys.read } });
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(h.keys.read);
    const denied = await h.call('GET', '/api/v1/runs', { key: `${h.keys.read}x` });
    expect(await denied.text()).not.toContain(h.keys.read);
  });

  it('documents the run report exactly as the engine makes it', () => {
    expectTypeOf<z.output<typeof responses.report>>().toEqualTypeOf<ReturnType<Engine['report']>>();
  });
});
