// The HTTP app of `orch serve`, apart from listening (listen.ts), so tests call it in-process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { pino, type Logger } from 'pino';
import type { z } from 'zod';
import { isId, type IdKind } from '../domain/ids.ts';
import { orchPaths } from '../domain/paths.ts';
import { defaultPortfolioPath } from '../portfolio/config.ts';
import type { Engine } from '../engine/run/engine.ts';
import type { Store } from '../store/store.ts';
import { authorize } from './auth.ts';
import { errorBody, httpErrorFrom, HttpError, zodIssues } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { packageRoot, packageVersion } from './package-info.ts';
import { apiBase, defineRoute, type AnyRoute, type AppEnv, type ServerDeps } from './route.ts';
import { attemptRoutes } from './routes-attempts.ts';
import { compatRoutes } from './routes-compat.ts';
import { eventRoutes } from './routes-events.ts';
import { portfolioRoutes } from './routes-portfolio.ts';
import { runRoutes } from './routes-runs.ts';
import { workerRoutes } from './routes-workers.ts';
import { strategyRoutes } from './routes-strategies.ts';
import { responses } from './schemas.ts';
import { frameAndTypeHeaders, staticFiles } from './static-files.ts';

export interface AppOptions {
  engine: Engine;
  store: Store;
  home: string;
  /** The built dashboard; default <package>/web/dist when it exists; null for none. */
  webRoot?: string | null;
  /** The repository of POST /orchestrate when the request names none; default: the working directory. */
  defaultRepo?: string;
  logger?: Logger;
  heartbeatMs?: number;
  pollMs?: number;
  /** The portfolio file of the /portfolio routes; default $ORCH_HOME/portfolio.jsonc when it exists. */
  portfolioPath?: string | null;
  /** The Redis of the queue executor, for GET /workers (`orch serve --redis`). */
  redisUrl?: string | undefined;
}

export type OrchApp = Hono<AppEnv>;

const maxBodyBytes = 2 * 1024 * 1024;

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error.issues);
  const summary = issues.map((i) => `${i.path === '' ? what : `${what}.${i.path}`}: ${i.message}`).join('; ');
  throw new HttpError(400, 'invalid_request', `Invalid ${what}: ${summary}`, { issues });
}

async function readJson(c: Context): Promise<unknown> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > maxBodyBytes) throw new HttpError(413, 'too_large', 'The body is larger than 2 MiB.');
  const text = await c.req.text();
  if (text.length > maxBodyBytes) throw new HttpError(413, 'too_large', 'The body is larger than 2 MiB.');
  if (text.trim() === '') throw new HttpError(400, 'invalid_request', 'A JSON body is required.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

const kindNames: Partial<Record<IdKind, string>> = { run: 'a run', att: 'an attempt' };

function checkedId(value: string | undefined, kind: IdKind): string {
  // Ids go to SQL as parameters only, but checking the form first keeps junk (../, %00) away from everything.
  if (value === undefined || !isId(value, kind)) {
    throw new HttpError(400, 'invalid_id', `Not ${kindNames[kind] ?? 'an'} id: expected ${kind}_ followed by 14 lowercase letters or digits.`);
  }
  return value;
}

function register(app: OrchApp, route: AnyRoute, deps: ServerDeps): void {
  app.on(route.method.toUpperCase(), `${apiBase}${route.path}`, async (c) => {
    if (route.scope !== 'public') c.set('apiKey', authorize(c, deps.store, route.scope));
    const id = route.idKind === undefined ? '' : checkedId(c.req.param('id'), route.idKind);
    const query = route.query === undefined ? undefined : parseWith(route.query, c.req.query(), 'query');
    const body = route.body === undefined ? undefined : parseWith(route.body, await readJson(c), 'body');
    const result = await route.handle({ c, id, body, query });
    return result instanceof Response ? result : c.json(result as object, route.status);
  });
}

/** Every API route, in the order the OpenAPI document lists them. */
export function apiRoutes(deps: ServerDeps): AnyRoute[] {
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'get',
      path: '/health',
      scope: 'public',
      summary: 'Whether the server is up, and its version. The only route without a key.',
      status: 200,
      response: responses.health,
      handle: () => ({ ok: true, version: deps.version }),
    }),
    ...runRoutes(deps),
    ...workerRoutes(deps),
    ...strategyRoutes(),
    ...attemptRoutes(deps),
    ...eventRoutes(deps),
    ...compatRoutes(deps),
    ...portfolioRoutes(deps),
  ];
  routes.push(
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      scope: 'read',
      summary: 'This document.',
      status: 200,
      response: responses.openapi,
      handle: () => openApiDocument(routes, deps.version),
    }),
  );
  return routes;
}

export function defaultWebRoot(): string | null {
  const root = join(packageRoot, 'web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : null;
}

export function createApp(options: AppOptions): OrchApp {
  const logger = options.logger ?? pino({ level: 'silent' });
  const deps: ServerDeps = {
    engine: options.engine,
    store: options.store,
    paths: orchPaths(options.home),
    defaultRepo: options.defaultRepo ?? process.cwd(),
    logger,
    version: packageVersion(),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    pollMs: options.pollMs ?? 5_000,
    portfolioPath: options.portfolioPath === undefined ? (existsSync(defaultPortfolioPath(options.home)) ? defaultPortfolioPath(options.home) : null) : options.portfolioPath,
    redisUrl: options.redisUrl ?? null,
  };
  const app: OrchApp = new Hono<AppEnv>();
  // Every response, API included: no framing by another page, no content sniffing.
  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(frameAndTypeHeaders)) c.header(name, value);
  });
  app.onError((error, c) => {
    const http = httpErrorFrom(error);
    // Never the request's headers: they carry the key.
    if (http.status === 500) logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    if (http.status === 401) c.header('WWW-Authenticate', 'Bearer realm="orch"');
    return c.json(errorBody(http), http.status);
  });
  for (const route of apiRoutes(deps)) register(app, route, deps);
  app.all(`${apiBase}/*`, () => {
    throw new HttpError(404, 'not_found', 'No such API route; see /api/v1/openapi.json.');
  });
  const webRoot = options.webRoot === undefined ? defaultWebRoot() : options.webRoot;
  if (webRoot !== null && existsSync(webRoot)) app.get('*', staticFiles(webRoot));
  return app;
}
