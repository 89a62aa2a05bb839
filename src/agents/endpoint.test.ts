import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { modelEndpoints, probeEndpoint } from './endpoint.ts';

describe('model endpoints', () => {
  it("are the URLs the agent's variables name; an empty one means the vendor's API, unless a proxy is in the way", () => {
    expect(modelEndpoints('claude', { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }).named).toEqual([{ url: 'http://127.0.0.1:9', variable: 'ANTHROPIC_BASE_URL' }]);
    expect(modelEndpoints('claude', {}).named).toEqual([]);
    expect(modelEndpoints('claude', { ANTHROPIC_BASE_URL: ' ' }).named).toEqual([{ url: 'https://api.anthropic.com', variable: "ANTHROPIC_BASE_URL is empty: the vendor's API" }]);
    expect(modelEndpoints('claude', { ANTHROPIC_BASE_URL: '', HTTPS_PROXY: 'http://proxy:3128' }).named).toEqual([]);
    expect(modelEndpoints('command', { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' })).toEqual({ named: [], vendor: null });
  });

  it('say in words why a connect failed, and nothing when it opened', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await probeEndpoint({ url, variable: 'ANTHROPIC_BASE_URL' })).toBeNull();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probeEndpoint({ url, variable: 'ANTHROPIC_BASE_URL' })).toBe(`connection refused to ${url} (ANTHROPIC_BASE_URL)`);
    expect(await probeEndpoint({ url: 'http://no-such-host.invalid', variable: 'OPENAI_BASE_URL' })).toBe('host not found for http://no-such-host.invalid (OPENAI_BASE_URL)');
    expect(await probeEndpoint({ url: 'ftp://127.0.0.1', variable: 'X' })).toBe('ftp://127.0.0.1 (X) is not an http(s) URL');
  });
});
