// Reaching an agent's model API before and while it runs: a TCP connect to the base URL the agent's environment
// names (no request, no key sent), so a refused or unknown endpoint is said in words at preflight instead of an
// agent retrying for minutes with "status null", and a retry without an HTTP status says what orch found.
import { connect } from 'node:net';
import { agentRecord } from '../domain/agent-records.ts';

export interface ModelEndpoint {
  url: string;
  /** The variable that named it, or null for the vendor's own API. */
  variable: string | null;
}

/**
 * The base URLs the agent will use: those its variables name, else the vendor's. A variable set but empty sends the
 * CLI to the vendor's API, which then counts as named (the user meant to point somewhere), unless a proxy is set
 * (orch's direct connect would not tell whether the proxy gets through).
 */
export function modelEndpoints(agent: string, env: Record<string, string | undefined>): { named: ModelEndpoint[]; vendor: ModelEndpoint | null } {
  const spec = agentRecord(agent)?.endpoints;
  if (spec === undefined) return { named: [], vendor: null };
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]);
  const named = spec.variables.flatMap((variable) => {
    const value = env[variable]?.trim();
    if (value) return [{ url: value, variable }];
    return value === '' && !proxied ? [{ url: spec.vendor, variable: `${variable} is empty: the vendor's API` }] : [];
  });
  return { named, vendor: { url: spec.vendor, variable: null } };
}

/** Why the endpoint cannot be reached, in words (`connection refused to http://127.0.0.1:1 (ANTHROPIC_BASE_URL)`), or null when a connection opened. */
export async function probeEndpoint(endpoint: ModelEndpoint, timeoutMs = 5000): Promise<string | null> {
  const where = `${endpoint.url} (${endpoint.variable ?? "the vendor's API"})`;
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return `${endpoint.variable ?? 'the base URL'} is not a URL: '${endpoint.url}' (expected e.g. http://127.0.0.1:8080)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${where} is not an http(s) URL`;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`no connection within ${Math.round(timeoutMs / 1000)} s to ${where}`), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(`${connectionWords(error.code)} ${where}`));
  });
}

function connectionWords(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused to';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found for';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'network unreachable for';
    case 'ECONNRESET':
      return 'connection reset by';
    default:
      return `cannot connect (${code ?? 'unknown error'}) to`;
  }
}

/** Every named endpoint's problem (preflight: the vendor's own API is not probed, it may sit behind a proxy). */
export async function namedEndpointProblems(agent: string, env: Record<string, string | undefined>, timeoutMs?: number): Promise<string[]> {
  const { named } = modelEndpoints(agent, env);
  const problems = await Promise.all(named.map((endpoint) => probeEndpoint(endpoint, timeoutMs)));
  return problems.filter((problem): problem is string => problem !== null);
}

/**
 * What stands between the agent and its model API while it retries without a status: the first problem found at a
 * URL its environment names. Not the vendor's default: an agent may take its URL from its own config (Codex's
 * config.toml), and blaming a host it never called would mislead.
 */
export async function explainUnanswered(agent: string, env: Record<string, string | undefined>): Promise<string | null> {
  for (const endpoint of modelEndpoints(agent, env).named) {
    const problem = await probeEndpoint(endpoint, 3000);
    if (problem !== null) return problem;
  }
  return null;
}
