// One API route as data: method, path, scope, schemas and handler. The app and the OpenAPI document are both
// built from the same list, so no route can exist without its auth rule and its documentation.
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { IdKind } from '../domain/ids.ts';
import type { OrchPaths } from '../domain/paths.ts';
import type { Engine } from '../engine/engine.ts';
import type { ApiKey } from '../store/api-keys.ts';
import type { Store } from '../store/store.ts';

export type Scope = 'public' | 'read' | 'write';

export interface AppEnv {
  Variables: { apiKey: ApiKey };
}

export interface ServerDeps {
  /** Starts, resumes and cancels runs: the one owner of their lifecycle (engine/engine.ts). */
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
}

export interface RouteInput<B, Q> {
  c: Context<AppEnv>;
  /** The `:id` path parameter, already checked to be a well-formed id of the route's kind. */
  id: string;
  body: B;
  query: Q;
}

export interface ApiRoute<B = undefined, Q = undefined> {
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
  response: z.ZodType;
  /** The answer is a text/event-stream of `response` items. */
  stream?: boolean;
  /** Returns the JSON answer, or a Response of its own (a stream). */
  handle(input: RouteInput<B, Q>): unknown;
}

export type AnyRoute = ApiRoute<unknown, unknown>;

export function defineRoute<B = undefined, Q = undefined>(route: ApiRoute<B, Q>): AnyRoute {
  return route;
}

export const apiBase = '/api/v1';
