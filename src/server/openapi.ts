// The OpenAPI 3.1 document, generated from the route list and its zod schemas.
import { z } from 'zod';
import { apiBase, type AnyRoute } from './route.ts';
import { errorSchema } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

function operationId(route: AnyRoute): string {
  const words = route.path.split(/[/:]+/).filter((w) => w !== '');
  return route.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function parameters(route: AnyRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  if (route.idKind !== undefined) {
    list.push({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: `^${route.idKind}_[0-9a-z]{14}$` } });
  }
  // Other path parameters (a project's name, a backlog task's number) are checked by their handlers.
  for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
    if (name !== 'id') list.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (route.query !== undefined) {
    const schema = jsonSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      list.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
    }
  }
  if (route.stream === true) {
    list.push({ name: 'Last-Event-ID', in: 'header', required: false, description: 'resume after this event seq', schema: { type: 'string' } });
  }
  return list;
}

function operation(route: AnyRoute): JsonSchema {
  const responses: JsonSchema = {
    [String(route.status)]: {
      description: route.stream === true ? 'an event stream; each message: id = seq, event = type, data = this schema' : 'success',
      content: { [route.stream === true ? 'text/event-stream' : 'application/json']: { schema: jsonSchema(route.response, 'output') } },
    },
  };
  if (route.body !== undefined || route.query !== undefined || route.idKind !== undefined) responses['400'] = errorResponse('bad input');
  if (route.scope !== 'public') responses['401'] = errorResponse('no API key, or an invalid one');
  if (route.scope === 'write') responses['403'] = errorResponse('the API key lacks the write scope');
  if (route.idKind !== undefined) responses['404'] = errorResponse('no such record');
  responses['default'] = errorResponse('an error');
  return {
    operationId: operationId(route),
    summary: route.summary,
    'x-orch-scope': route.scope,
    security: route.scope === 'public' ? [] : [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    parameters: parameters(route),
    ...(route.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }),
    responses,
  };
}

export function openApiDocument(routes: readonly AnyRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = apiBase + route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'orch',
      version,
      description: 'Run AI coding agents on a repository, judge their work, merge the best. Every route but /health needs an API key (`orch api-key create`).',
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
