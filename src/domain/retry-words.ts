// One wording for an agent's API retry, for the CLI's lines, the terminal and the web dashboards: the HTTP status
// when the model API answered, else what orch found when it tried the endpoint itself (executor/invocation.ts).
export function retryWords(data: Record<string, unknown>): string {
  const attempt = typeof data['attempt'] === 'number' ? String(data['attempt']) : '?';
  if (typeof data['reason'] === 'string') return `API retry ${attempt}: ${data['reason']}`;
  if (typeof data['status'] === 'number') return `API retry ${attempt} after HTTP status ${data['status']}`;
  return `API retry ${attempt}: no answer from the model API`;
}
