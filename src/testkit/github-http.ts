// What every room of the scripted GitHub answers with: GitHub's error shape and its checks of a request body, and
// the login orch's token stands for.
export const bot = 'orch-bot';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new HttpError(422, `${field} is missing or not a string`);
  return value;
}

/** The request body as an object (GitHub answers 400 to a body that is not JSON). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'Problems parsing JSON');
  return body as Record<string, unknown>;
}
