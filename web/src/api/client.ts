// The dashboard's connection to `orch serve`: orch/client (the same one scripts use) on this page's own origin,
// with the key this browser stored. Failures are OrchApiError with the server's message and hint.
import { createOrchClient, OrchApiError } from 'orch/client';
import { getKey } from './key.ts';

export { OrchApiError };

/** The key is read at every request: one typed into the prompt applies from the next call on. */
export const api = createOrchClient({ baseUrl: '', apiKey: getKey });

/** The server refused the key (401): the app asks for one again. */
export function isRefusal(reason: unknown): reason is OrchApiError {
  return reason instanceof OrchApiError && reason.status === 401;
}
