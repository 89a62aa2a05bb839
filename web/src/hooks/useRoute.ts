// Hash routing: #/ (runs), #/new, #/portfolio, #/runs/<id>.
import { useEffect, useState } from 'react';

export type Route = { view: 'runs' } | { view: 'new' } | { view: 'portfolio' } | { view: 'run'; id: string; attempt: string | undefined };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'new') return { view: 'new' };
  if (parts[0] === 'portfolio') return { view: 'portfolio' };
  if (parts[0] === 'runs' && parts[1]) return { view: 'run', id: parts[1], attempt: parts[2] === 'attempts' ? parts[3] : undefined };
  return { view: 'runs' };
}

export const runHref = (id: string, attempt?: string): string =>
  `#/runs/${encodeURIComponent(id)}${attempt ? `/attempts/${encodeURIComponent(attempt)}` : ''}`;

export function navigate(href: string): void {
  window.location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
