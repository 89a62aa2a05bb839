// The API key lives in this browser's localStorage, never in a URL.
const storageKey = 'orch.apiKey';

type Listener = (key: string | null) => void;
const listeners = new Set<Listener>();

export function getKey(): string | null {
  return localStorage.getItem(storageKey);
}

export function setKey(key: string | null): void {
  if (key === null) localStorage.removeItem(storageKey);
  else localStorage.setItem(storageKey, key);
  for (const listener of listeners) listener(key);
}

export function onKeyChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

type RefusedListener = (message: string) => void;
const refusedListeners = new Set<RefusedListener>();

/** A request was answered 401: the app asks for a key again, saying why. */
export function reportRefused(message: string): void {
  for (const listener of refusedListeners) listener(message);
}

export function onRefused(listener: RefusedListener): () => void {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}
