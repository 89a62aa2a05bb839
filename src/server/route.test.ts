// The route list's types: a handler must answer what its route declares. The compiler checks these cases
// (npm run typecheck): each @ts-expect-error breaks the build if the mistake on its next line stops being an error.
import { describe, expect, it } from 'vitest';
import { defineRoute } from './route.ts';
import { responses } from './schemas.ts';

const shape = { method: 'get', path: '/x', scope: 'read', summary: 'a route of this test', status: 200 } as const;
const event = { seq: 1, runId: null, attemptId: null, type: 'run.started', data: {}, at: '' };

describe('defineRoute', () => {
  it('checks a JSON answer against the response schema, and a stream route answers with a Response', () => {
    const routes = [
      defineRoute({ ...shape, response: responses.health, handle: () => ({ ok: true, version: '1.0.0' }) }),
      defineRoute({ ...shape, response: responses.events, stream: true, handle: () => new Response('') }),
      // @ts-expect-error: `ok` must be a boolean
      defineRoute({ ...shape, response: responses.health, handle: () => ({ ok: 'yes', version: '1.0.0' }) }),
      // @ts-expect-error: the answer lacks `runs`
      defineRoute({ ...shape, response: responses.runs, handle: () => ({ run: [] }) }),
      // @ts-expect-error: a stream route answers with the stream, not with one of its items
      defineRoute({ ...shape, response: responses.events, stream: true, handle: () => event }),
      // @ts-expect-error: a JSON route answers with JSON (the app sends it with the route's status)
      defineRoute({ ...shape, response: responses.health, handle: () => new Response('{}') }),
    ];
    expect(routes.map((route) => route.stream === true)).toEqual([false, true, false, false, true, false]);
  });
});
