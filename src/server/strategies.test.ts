// GET /strategies: what a form needs to offer every built-in strategy and its parameters.
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../../test/helpers/api-server.ts';

const { harness } = useApiHarness();

interface Answer {
  strategies: { name: string; description: string; params: { properties?: Record<string, { type?: string; minimum?: number; maximum?: number; default?: unknown; enum?: string[] }> } }[];
}

describe('GET /strategies', () => {
  it('lists every built-in strategy, plan included, with the JSON Schema of its parameters', async () => {
    const h = await harness();
    const response = await h.call('GET', '/api/v1/strategies');
    expect(response.status).toBe(200);
    const { strategies } = (await response.json()) as Answer;
    expect(strategies.map((s) => s.name).sort()).toEqual(['best-of-n', 'cycle', 'iterative', 'plan', 'single', 'tournament']);
    const byName = new Map(strategies.map((s) => [s.name, s]));
    expect(byName.get('best-of-n')?.params.properties?.['n']).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 3 });
    expect(byName.get('plan')?.params.properties?.['worker']).toMatchObject({ enum: ['single', 'best-of-n', 'iterative', 'tournament'], default: 'single' });
    expect(byName.get('plan')?.params.properties?.['depth']).toMatchObject({ type: 'integer', minimum: 1, maximum: 4 });
    expect(byName.get('single')?.params.properties).toEqual({});
    for (const s of strategies) expect(s.description.length).toBeGreaterThan(10);
  });

  it('needs a key, like every route but /health', async () => {
    const h = await harness();
    expect((await h.call('GET', '/api/v1/strategies', { key: null })).status).toBe(401);
  });
});
