// One API route as data: method, path, scope, schemas and handler. The app and the OpenAPI document are both
// built from the same list, so no route can exist without its auth rule and its documentation.
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { IdKind } from '../domain/ids.ts';
import type { OrchPaths } from '../domain/paths.ts';
import type { Engine } from '../engine/run/engine.ts';
import type { ApiKey } from '../store/api-keys.ts';
import type { Store } from '../store/store.ts';

export type Scope = 'public' | 'read' | 'write';

export interface AppEnv {
  Variables: { apiKey: ApiKey };
}

export interface ServerDeps {
  /** Starts, resumes and cancels runs: the one owner of their lifecycle (engine/run/engine.ts). */
  engine: Engine;
  store: Store;
  paths: OrchPaths;
  /** The repository of POST /orchestrate when its config names none. */
  defaultRepo: string;
  logger: Logger;
  version: string;
  /** Idle time after which an event stream sends a comment, so proxies keep it open. */
  heartbeatMs: number;
  /** How often an idle event stream looks for events written by other orch processes. */
  pollMs: number;
  /** The portfolio file the /portfolio routes read (each request: edits show at once); null for none. */
  portfolioPath: string | null;
  /** The queue executor's Redis (`orch serve --redis`): where GET /workers reads the heartbeats. */
  redisUrl: string | null;
}

export interface RouteInput<B, Q> {
  c: Context<AppEnv>;
  /** The `:id` path parameter, already checked to be a well-formed id of the route's kind. */
  id: string;
  body: B;
  query: Q;
}

type Awaitable<T> = T | Promise<T>;

interface RouteShape<B, Q> {
  method: 'get' | 'post';
  /** Under /api/v1, hono syntax (`/runs/:id`). */
  path: string;
  scope: Scope;
  summary: string;
  /** The kind of id `:id` must be. */
  idKind?: IdKind;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  status: 200 | 202;
}

/** A JSON answer: the handler must return what `response` describes (the compiler checks it). */
export interface JsonRoute<B, Q, R extends z.ZodType> extends RouteShape<B, Q> {
  response: R;
  stream?: false;
  handle(input: RouteInput<B, Q>): Awaitable<z.output<R>>;
}

/** A text/event-stream of `response` items: the handler answers with the stream itself. */
export interface StreamRoute<B, Q, R extends z.ZodType> extends RouteShape<B, Q> {
  response: R;
  stream: true;
  handle(input: RouteInput<B, Q>): Awaitable<Response>;
}

export type ApiRoute<B, Q, R extends z.ZodType> = JsonRoute<B, Q, R> | StreamRoute<B, Q, R>;

/** Any route, as the app and the OpenAPI document see it (the route's own types were checked where it was defined). */
export type AnyRoute = ApiRoute<unknown, unknown, z.ZodType>;

export function defineRoute<B = undefined, Q = undefined, R extends z.ZodType = z.ZodType>(route: ApiRoute<B, Q, R>): AnyRoute {
  return route;
}

export const apiBase = '/api/v1';
