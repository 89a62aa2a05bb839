// Event streams (SSE): one run's, or every run's.
import { HttpError } from './errors.ts';
import { eventStream, resumePoint } from './event-stream.ts';
import { defineRoute, type AnyRoute, type RouteInput, type ServerDeps } from './route.ts';
import { eventsQuerySchema, responses } from './schemas.ts';

type EventsQuery = { lastEventId?: number | undefined };

function afterSeq({ c, query }: RouteInput<unknown, EventsQuery>): number {
  const after = resumePoint(c.req.header('last-event-id'), query.lastEventId);
  if (after === 'invalid') throw new HttpError(400, 'invalid_request', 'Last-Event-ID must be an event seq (a whole number).');
  return after;
}

export function eventRoutes(deps: ServerDeps): AnyRoute[] {
  const { store, heartbeatMs, pollMs } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/runs/:id/events',
      scope: 'read',
      summary: "A run's events as Server-Sent Events: the stored ones after Last-Event-ID, then live ones.",
      idKind: 'run',
      query: eventsQuerySchema,
      status: 200,
      response: responses.events,
      stream: true,
      handle: (input) => {
        const runId = store.runs.get(input.id).id;
        return eventStream(input.c, { store, runId, afterSeq: afterSeq(input), heartbeatMs, pollMs });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/events',
      scope: 'read',
      summary: "Every run's events as Server-Sent Events: the stored ones after Last-Event-ID, then live ones.",
      query: eventsQuerySchema,
      status: 200,
      response: responses.events,
      stream: true,
      handle: (input) => eventStream(input.c, { store, runId: null, afterSeq: afterSeq(input), heartbeatMs, pollMs }),
    }),
  ];
}
