// Start a run: repository, goal, strategy and its parameters, agents, checks, review. The strategies and their
// parameters come from the server (GET /strategies), so every strategy it has — plan included — can be started
// here with any of its parameters, and a new parameter needs no change to this form.
import { useMemo, useState, type FormEvent } from 'react';
import { api, isRefusal, OrchApiError } from '../api/client.ts';
import { reportRefused } from '../api/key.ts';
import type { StartRunBody, StrategyInfo } from 'orch/client';
import { fieldsOf, paramsFrom, type ParamField } from '../components/param-fields.ts';
import { ParamsEditor } from '../components/ParamsEditor.tsx';
import { useResource } from '../hooks/useResource.ts';
import { navigate, runHref } from '../hooks/useRoute.ts';

interface FormState {
  repo: string;
  goal: string;
  strategy: string;
  /** Each strategy's parameter fields as typed, kept while the user looks at another strategy. */
  params: Record<string, Record<string, string>>;
  agents: string;
  model: string;
  testCmd: string;
  lintCmd: string;
  target: string;
  review: boolean;
}

const remembered = 'orch.newRun';
const initial: FormState = { repo: '', goal: '', strategy: 'single', params: {}, agents: '', model: '', testCmd: '', lintCmd: '', target: '', review: false };

function load(): FormState {
  try {
    const saved = JSON.parse(localStorage.getItem(remembered) ?? '{}') as Partial<FormState>;
    return { ...initial, repo: saved.repo ?? '', testCmd: saved.testCmd ?? '', lintCmd: saved.lintCmd ?? '', agents: saved.agents ?? '' };
  } catch {
    return initial;
  }
}

export function toRequest(form: FormState, fields: readonly ParamField[]): StartRunBody {
  const body: StartRunBody = { repo: form.repo.trim(), goal: form.goal.trim(), strategy: form.strategy };
  const params = paramsFrom(fields, form.params[form.strategy] ?? {});
  if (Object.keys(params).length > 0) body.params = params;
  const agents = form.agents
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (agents.length === 1 && agents[0] !== undefined) {
    const [agent, model] = agents[0].split(':');
    body.agent = agent;
    if (model) body.model = model;
  } else if (agents.length > 1) {
    body.agents = agents.join(',');
  }
  if (form.model.trim()) body.model = form.model.trim();
  if (form.testCmd.trim()) body.testCmd = form.testCmd.trim();
  if (form.lintCmd.trim()) body.lintCmd = form.lintCmd.trim();
  if (form.target.trim()) body.target = form.target.trim();
  if (form.review) body.review = true;
  return body;
}

export function NewRun() {
  const [form, setForm] = useState<FormState>(load);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string | undefined }>();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]): void => setForm((old) => ({ ...old, [key]: value }));
  const setParam = (name: string, value: string): void =>
    setForm((old) => ({ ...old, params: { ...old.params, [old.strategy]: { ...old.params[old.strategy], [name]: value } } }));
  const strategies = useResource<StrategyInfo[]>((signal) => api.listStrategies({ signal }), []);
  const chosen = strategies.data?.find((s) => s.name === form.strategy);
  const fields = useMemo(() => (chosen ? fieldsOf(chosen.params) : []), [chosen]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { runId } = await api.startRun(toRequest(form, fields));
      localStorage.setItem(remembered, JSON.stringify({ repo: form.repo, testCmd: form.testCmd, lintCmd: form.lintCmd, agents: form.agents }));
      navigate(runHref(runId));
    } catch (reason) {
      if (isRefusal(reason)) reportRefused(reason.message);
      setError(reason instanceof OrchApiError ? { message: reason.message, hint: reason.hint } : { message: String(reason) });
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="new-run">
      <h2>Start a run</h2>
      <label>
        <span>Repository</span>
        <input name="repo" required placeholder="/absolute/path/to/repo" value={form.repo} onChange={(e) => set('repo', e.target.value)} />
      </label>
      <label>
        <span>Goal</span>
        <textarea name="goal" required rows={4} placeholder="What should the agents do?" value={form.goal} onChange={(e) => set('goal', e.target.value)} />
      </label>
      <fieldset className="strategies">
        <legend>Strategy</legend>
        {strategies.error && !strategies.data && (
          <p className="error" role="alert">
            Could not load the strategies: {strategies.error.message}{' '}
            <button type="button" className="link" onClick={strategies.reload}>
              try again
            </button>
          </p>
        )}
        {!strategies.data && !strategies.error && <p className="muted">Loading strategies…</p>}
        {strategies.data?.map((s) => (
          <label key={s.name} className={`choice ${form.strategy === s.name ? 'chosen' : ''}`}>
            <input type="radio" name="strategy" value={s.name} checked={form.strategy === s.name} onChange={() => set('strategy', s.name)} />
            <strong>{s.name}</strong>
            <small>{s.description}</small>
          </label>
        ))}
      </fieldset>
      <ParamsEditor strategy={form.strategy} fields={fields} values={form.params[form.strategy] ?? {}} onChange={setParam} />
      <div className="row">
        <label>
          <span>Agent(s)</span>
          <input name="agents" placeholder="from the config, e.g. claude or claude:opus,codex" value={form.agents} onChange={(e) => set('agents', e.target.value)} />
        </label>
        <label>
          <span>Model</span>
          <input name="model" placeholder="agent default" value={form.model} onChange={(e) => set('model', e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label>
          <span>Test command</span>
          <input name="testCmd" className="mono" placeholder="from the config, e.g. npm test" value={form.testCmd} onChange={(e) => set('testCmd', e.target.value)} />
        </label>
        <label>
          <span>Lint command</span>
          <input name="lintCmd" className="mono" placeholder="optional" value={form.lintCmd} onChange={(e) => set('lintCmd', e.target.value)} />
        </label>
        <label className="narrow">
          <span>Target branch</span>
          <input name="target" className="mono" placeholder="checked-out" value={form.target} onChange={(e) => set('target', e.target.value)} />
        </label>
      </div>
      <label className="check-row">
        <input name="review" type="checkbox" checked={form.review} onChange={(e) => set('review', e.target.checked)} />
        <span>AI review: a reviewer scores every judged attempt</span>
      </label>
      {error && (
        <div className="error" role="alert">
          <p>{error.message}</p>
          {error.hint && <p className="muted">{error.hint}</p>}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}
