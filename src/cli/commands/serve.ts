// `orch serve`: the REST API, the event stream and the web dashboard, on 127.0.0.1 unless told otherwise.
// Ctrl+C stops the runs this server started (they end interrupted, resumable) and closes the server.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { UsageError } from '../../domain/errors.ts';
import type { Listening } from '../../server/listen.ts';
import { maxAgentsRange, portRange } from '../../domain/ranges.ts';
import { openContext } from '../context.ts';
import { logLevelFromEnv } from '../log-level.ts';
import { numberFlag } from '../number-flag.ts';
import { printErr, printOut } from '../output.ts';
import { interruptOnSignals } from '../signals.ts';
import { assertRedisUrl } from '../../distributed/redis-url.ts';

interface ServeFlags {
  host: string;
  port: string;
  repo?: string;
  redis?: string;
  maxAgents: string;
  portfolio?: string;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Agents at once across every run of one server, whatever each run's own limit (limits.maxAgents). */
export const defaultServeMaxAgents = 8;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .option('--host <host>', 'address to listen on (anything but loopback exposes your machine)', '127.0.0.1')
    .option('--port <port>', 'port (0: a free one)', '7070')
    .option('--repo <path>', 'repository for POST /api/v1/orchestrate requests that name none (default: the current directory)')
    .option('--portfolio <path>', 'the portfolio file for the /portfolio routes and page (default: $ORCH_HOME/portfolio.jsonc when it exists)')
    .option('--redis <url>', 'the Redis of the queue executor, for GET /api/v1/workers (default: $ORCH_REDIS_URL)')
    .option('--max-agents <n>', "agents at once across all runs of this server (each run also keeps its config's limit)", String(defaultServeMaxAgents))
    .action(async (flags: ServeFlags) => {
      const port = numberFlag('--port', flags.port, portRange) ?? 7070;
      const maxAgents = numberFlag('--max-agents', flags.maxAgents, maxAgentsRange) ?? defaultServeMaxAgents;
      if (!isLoopback(flags.host)) {
        printErr(`orch: WARNING: listening on ${flags.host}, not loopback. Anyone who can reach this address and holds a write key`);
        printErr('orch: WARNING: can run agents and check commands on this machine. Put TLS and a firewall in front of it.');
      }
      const context = await openContext({ maxAgents });
      await context.recover();
      mkdirSync(context.paths.logsRoot, { recursive: true });
      const logger = pino({ level: logLevelFromEnv() }, pino.destination({ dest: join(context.paths.logsRoot, 'serve.log'), sync: true }));
      // The server's modules (hono and its routes) load only for `orch serve`, not for every command.
      const [{ createApp, defaultWebRoot }, { listen }] = await Promise.all([import('../../server/app.ts'), import('../../server/listen.ts')]);
      const { engine } = context;
      const redisUrl = flags.redis ?? process.env['ORCH_REDIS_URL'];
      const app = createApp({
        engine,
        store: context.store,
        home: context.home,
        logger,
        defaultRepo: resolve(flags.repo ?? process.cwd()),
        redisUrl: redisUrl === undefined || redisUrl === '' ? undefined : assertRedisUrl(redisUrl),
        ...(flags.portfolio !== undefined ? { portfolioPath: resolve(flags.portfolio) } : {}),
      });
      let server: Listening;
      try {
        server = await listen(app, { host: flags.host, port });
      } catch (error) {
        context.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} on ${flags.host} is in use.`, { hint: 'Pass --port <another>, or --port 0 for a free one.' });
        throw error;
      }
      const interrupt = interruptOnSignals((sig) => printErr(`orch: ${sig} received, stopping runs and the server (again to force)`));
      printOut(`orch serve: listening on ${server.url}`);
      printErr(`  API:       ${server.url}/api/v1 (OpenAPI: ${server.url}/api/v1/openapi.json)`);
      printErr(defaultWebRoot() === null ? '  dashboard: not built (npm run build in web/)' : `  dashboard: ${server.url}/`);
      const activeKeys = context.store.apiKeys.list().filter((key) => key.revokedAt === null).length;
      if (activeKeys === 0) printErr('  no API keys yet: create one with  orch api-key create --name me --scope write');
      try {
        await new Promise<void>((done) => interrupt.signal.addEventListener('abort', () => done(), { once: true }));
        if (engine.liveRuns > 0) printErr(`orch: stopping ${engine.liveRuns} run(s); resume them with orch resume <run>`);
        await engine.stopAll('orch serve is stopping');
        await server.close();
      } finally {
        interrupt.dispose();
        context.close();
      }
    });
}
