// `orch worker`: this machine takes attempts from the coordinators' queues on Redis. `orch workers`: the live
// workers, from their heartbeats.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { createAgentAdapter } from '../../agents/registry.ts';
import { agentNames, isAgentName } from '../../domain/agent-records.ts';
import { UsageError } from '../../domain/errors.ts';
import { orchPaths, resolveOrchHome } from '../../domain/paths.ts';
import { connectRedis } from '../../distributed/connection.ts';
import { assertRedisUrl } from '../../distributed/redis-url.ts';
import { AttemptWorker } from '../../distributed/worker.ts';
import { listWorkers } from '../../distributed/workers-list.ts';
import { CredentialPools } from '../../engine/core/credential-pools.ts';
import { loadConfig } from '../../engine/run/config-file.ts';
import { LocalExecutor } from '../../executor/local-executor.ts';
import { printErr, printJson, printOut } from '../output.ts';
import { countRange, durationRange } from '../../domain/ranges.ts';
import { numberFlag } from '../number-flag.ts';

interface WorkerFlags {
  redis?: string;
  concurrency?: string;
  agents?: string;
  config?: string;
  name?: string;
  stallSeconds?: string;
}

function redisFlag(value: string | undefined): string {
  const url = value ?? process.env['ORCH_REDIS_URL'];
  if (url === undefined || url === '') throw new UsageError('Which Redis? Pass --redis <url> (or set ORCH_REDIS_URL).', { hint: 'For example: --redis redis://127.0.0.1:6379' });
  return assertRedisUrl(url);
}

function agentsFlag(value: string | undefined): string[] {
  const agents = (value ?? 'claude').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = agents.filter((name) => !isAgentName(name));
  if (agents.length === 0 || unknown.length > 0) {
    throw new UsageError(`--agents: ${unknown.length > 0 ? `unknown agent ${unknown.join(', ')}` : 'no agent named'}.`, { hint: `Name the agents this machine has, comma-separated: ${agentNames.join(', ')}.` });
  }
  return [...new Set(agents)];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .option('--redis <url>', 'the Redis the coordinators queue attempts on (default: $ORCH_REDIS_URL)')
    .option('--concurrency <n>', "attempts at once from each agent's queue", '2')
    .option('--agents <list>', 'the agents this machine has, comma-separated: it takes only their attempts', 'claude')
    .option('--config <path>', "the agents' settings on this machine (an orch.config.json: binaries, env, models)")
    .option('--name <name>', 'how `orch workers` and `orch show` name this worker (default: host-pid)')
    .option('--stall-seconds <s>', 'an attempt of a worker that died goes to another after about this long', '30')
    .action(async (flags: WorkerFlags) => {
      const redisUrl = redisFlag(flags.redis);
      const concurrency = numberFlag('--concurrency', flags.concurrency, countRange(1, 1000, 'more attempts at once than one machine can run')) ?? 2;
      const agents = agentsFlag(flags.agents);
      const lockMs = (numberFlag('--stall-seconds', flags.stallSeconds, durationRange) ?? 30) * 1000;
      const home = resolveOrchHome();
      const paths = orchPaths(home);
      mkdirSync(paths.logsRoot, { recursive: true, mode: 0o700 });
      const logger = pino({ level: process.env['ORCH_LOG_LEVEL'] ?? 'info' }, pino.destination({ dest: join(paths.logsRoot, 'worker.log'), sync: true, mode: 0o600 }));
      const config = loadConfig(process.cwd(), flags.config);
      const credentials = CredentialPools.load(paths.credentials);
      const executor = new LocalExecutor({ adapterFor: (agent) => createAgentAdapter(agent, config), credentials, agentStateDir: (agent) => paths.agentState(agent), logger });
      const worker = new AttemptWorker({ redisUrl, home, agents, concurrency, lockMs, executor, name: flags.name, logger });
      await worker.start();
      printErr(`orch worker ${worker.identity.id}: taking ${agents.join(', ')} attempts from ${redisUrl}, ${concurrency} at once (ORCH_HOME ${home})`);
      // The first signal stops taking jobs and lets the running attempts finish; a second stops them (their jobs go
      // to other workers once their locks expire).
      await new Promise<void>((resolve) => {
        let signals = 0;
        const onSignal = () => {
          signals++;
          if (signals === 1) printErr('orch worker: stopping once the running attempts finish (again to stop them now)');
          void worker.close(signals > 1).then(resolve, resolve);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });

  program
    .command('workers')
    .option('--redis <url>', 'the Redis the workers take attempts from (default: $ORCH_REDIS_URL)')
    .option('--json', 'print the list as JSON')
    .action(async (flags: { redis?: string; json?: boolean }) => {
      const redis = connectRedis(redisFlag(flags.redis));
      try {
        const workers = await listWorkers(redis);
        if (flags.json === true) return printJson(workers);
        if (workers.length === 0) return printOut('no live workers');
        for (const worker of workers) {
          const ago = Math.max(0, Math.round((Date.now() - Date.parse(worker.lastSeen)) / 1000));
          printOut(`${worker.id}  host ${worker.host}${worker.host === hostname() ? ' (this machine)' : ''}  agents ${worker.agents.join(',')}  running ${worker.running.length}/${worker.concurrency}  last seen ${ago}s ago`);
          for (const attempt of worker.running) printOut(`    ${attempt.attemptId} (run ${attempt.runId}, ${attempt.agent}) since ${attempt.since}`);
        }
      } finally {
        redis.disconnect();
      }
    });
}
