// A model API that cannot be reached: preflight connects to the base URL the agent's environment names and refuses
// the run in words (exit 2, nothing changed); an endpoint that dies during the run makes the retry lines say what
// orch found there, instead of "status null". The REAL Claude Code CLI.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRefusedWithoutChange } from '../helpers/bad-input.ts';
import { claudeBinary, claudeConfig } from '../helpers/claude-run.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(onConnection: (server: Server) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.destroy();
    onConnection(server);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const port = await listen(() => {});
  const server = servers.pop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  return port;
}

const env = (home: string, baseUrl: string) => ({ ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CONFIG_DIR: join(home, 'claude') });

describe('the model endpoint', () => {
  it('preflight refuses a closed port in words, exit 2, nothing changed', async () => {
    const port = await closedPort();
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig() } });
    const home = await temp.dir();
    const url = `http://127.0.0.1:${port}`;
    await expectRefusedWithoutChange({
      args: ['run', 'goal', '--test-cmd', 'true'],
      env: env(home, url),
      message: new RegExp(`model API cannot be reached: connection refused to http://127\\.0\\.0\\.1:${port} \\(ANTHROPIC_BASE_URL\\)[\\s\\S]*fix ANTHROPIC_BASE_URL`),
      root: repo.root,
      home,
    });
  });

  it('preflight refuses a base URL that is not a URL', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig() } });
    const home = await temp.dir();
    await expectRefusedWithoutChange({ args: ['run', 'goal'], env: env(home, 'not a url'), message: /ANTHROPIC_BASE_URL is not a URL: 'not a url'/, root: repo.root, home });
  });

  it('a retry after the endpoint went away says "connection refused to <url> (ANTHROPIC_BASE_URL)", not "status null"', async () => {
    // Answers preflight's connect, then stops listening: every request of the agent is refused.
    const port = await listen((server) => server.close());
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig({ agents: { claude: { binary: claudeBinary, maxRetries: 1 } }, retries: { delaysSeconds: [] } }) } });
    const home = await temp.dir();
    const result = await runOrch(['run', 'goal', '--no-tui', '--test-cmd', 'true', '--sandbox', 'none'], { cwd: repo.root, home, env: env(home, `http://127.0.0.1:${port}`), timeoutMs: 120_000 });
    expect(result.stderr).toContain(`API retry 1: connection refused to http://127.0.0.1:${port} (ANTHROPIC_BASE_URL)`);
    expect(result.stderr).not.toContain('status null');
    expect(result.exitCode).toBe(1);
  }, 180_000);
});
