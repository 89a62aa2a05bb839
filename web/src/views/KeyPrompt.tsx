// Asks for an API key, saying why when one was refused; it is kept in this browser's localStorage.
import { useState, type FormEvent } from 'react';
import { setKey } from '../api/key.ts';

export function KeyPrompt({ reason, onCancel }: { reason: string | undefined; onCancel?: (() => void) | undefined }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (value.trim()) setKey(value.trim());
  };
  return (
    <div className="key-prompt">
      <form className="card form" onSubmit={submit} data-testid="key-prompt">
        <h2>API key</h2>
        {reason && (
          <p className="error" role="alert">
            {reason}
          </p>
        )}
        <p className="muted">
          The dashboard talks to <code>orch serve</code> with an API key. Create one on the server's machine:
        </p>
        <pre className="command">orch api-key create --name dashboard --scope write</pre>
        <label>
          <span>Key</span>
          <input name="apiKey" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <p className="muted small">Kept in this browser's local storage only. A read-only key can watch runs but not start or cancel them.</p>
        <div className="form-actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary">
            Save key
          </button>
        </div>
      </form>
    </div>
  );
}
