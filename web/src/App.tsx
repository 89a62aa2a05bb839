// The shell: top bar, the key gate, and the hash routes.
import { useEffect, useState } from 'react';
import { getKey, onKeyChange, onRefused, setKey } from './api/key.ts';
import { useRoute, type Route } from './hooks/useRoute.ts';
import { KeyPrompt } from './views/KeyPrompt.tsx';
import { NewRun } from './views/NewRun.tsx';
import { Portfolio } from './views/Portfolio.tsx';
import { RunsList } from './views/RunsList.tsx';
import { RunView } from './views/RunView.tsx';

export function App() {
  const route = useRoute();
  const [apiKey, setApiKey] = useState(getKey);
  const [refused, setRefused] = useState<string>();
  const [changing, setChanging] = useState(false);

  useEffect(
    () =>
      onKeyChange((key) => {
        setApiKey(key);
        setRefused(undefined);
        setChanging(false);
      }),
    [],
  );
  useEffect(() => onRefused(setRefused), []);

  const prompt = apiKey === null || refused !== undefined || changing;
  return (
    <div className="app">
      <nav className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true" />
          orch
        </a>
        <a href="#/" className={route.view === 'runs' ? 'active' : ''}>
          Runs
        </a>
        <a href="#/new" className={route.view === 'new' ? 'active' : ''}>
          New run
        </a>
        <a href="#/portfolio" className={route.view === 'portfolio' ? 'active' : ''}>
          Portfolio
        </a>
        <span className="spacer" />
        {apiKey !== null && (
          <>
            <button type="button" className="quiet" onClick={() => setChanging(true)}>
              Change key
            </button>
            <button type="button" className="quiet" onClick={() => setKey(null)}>
              Forget key
            </button>
          </>
        )}
      </nav>
      <main>
        {prompt ? (
          <KeyPrompt reason={refused} onCancel={changing && apiKey !== null ? () => setChanging(false) : undefined} />
        ) : (
          // A new key remounts the views, so everything is fetched again with it.
          <div key={apiKey}>{view(route)}</div>
        )}
      </main>
    </div>
  );
}

function view(route: Route) {
  switch (route.view) {
    case 'new':
      return <NewRun />;
    case 'portfolio':
      return <Portfolio />;
    case 'run':
      return <RunView id={route.id} attemptId={route.attempt} />;
    default:
      return <RunsList />;
  }
}
