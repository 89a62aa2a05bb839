// The API of `orch serve` in a test: a real Store in a temp ORCH_HOME, a real Engine, the hono app in-process,
// two keys (read, write), and a typed client that calls the app without a socket.
import { afterEach } from 'vitest';
import { createOrchClient, type OrchClient } from '../../src/client/index.ts';
import { orchPaths } from '../../src/domain/paths.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp, type OrchApp } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';
import { useTempRepos } from './git-fixture.ts';
import { pino } from 'pino';

export const testBaseUrl = 'http://orch.test';

export interface ApiHarness {
  home: string;
  store: Store;
  engine: Engine;
  app: OrchApp;
  keys: { read: string; write: string };
  /** A client (write key) calling the app in-process. */
  client: OrchClient;
  /** app.request with a key and an optional JSON body. */
  call(method: string, path: string, options?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

/** Call at the top level of a test file: temp repos and dirs, and a harness whose runs stop after each test. */
export function useApiHarness(): { temp: ReturnType<typeof useTempRepos>; harness: (options?: { webRoot?: string; defaultRepo?: string; portfolioPath?: string }) => Promise<ApiHarness> } {
  const temp = useTempRepos();
  const open: ApiHarness[] = [];
  // Registered after useTempRepos, so it runs before the temp dirs are removed.
  afterEach(async () => {
    for (const h of open.splice(0)) {
      await h.engine.stopAll();
      h.store.close();
    }
  });
  return {
    temp,
    async harness(options = {}) {
      const home = await temp.dir();
      const store = new Store(orchPaths(home).database);
      const logger = pino({ level: 'silent' });
      const engine = new Engine({ store, home, logger });
      const app = createApp({ engine, store, home, logger, webRoot: options.webRoot ?? null, heartbeatMs: 500, pollMs: 200, ...(options.defaultRepo ? { defaultRepo: options.defaultRepo } : {}), ...(options.portfolioPath ? { portfolioPath: options.portfolioPath } : {}) });
      const keys = { read: store.apiKeys.create('test read', ['read']).key, write: store.apiKeys.create('test write', ['read', 'write']).key };
      const client = createOrchClient({ baseUrl: testBaseUrl, apiKey: keys.write, fetch: (input, init) => Promise.resolve(app.request(input, init)) });
      const h: ApiHarness = {
        home,
        store,
        engine,
        app,
        keys,
        client,
        call: (method, path, callOptions = {}) => {
          const key = callOptions.key === undefined ? keys.write : callOptions.key;
          const headers: Record<string, string> = { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...callOptions.headers };
          if (callOptions.body !== undefined) headers['content-type'] = 'application/json';
          const body = callOptions.body === undefined ? undefined : typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body);
          return Promise.resolve(app.request(`${testBaseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }));
        },
      };
      open.push(h);
      return h;
    },
  };
}
