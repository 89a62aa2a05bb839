// `orch api-key create|list|revoke`: keys for `orch serve`. A key is printed once, at creation; orch keeps
// only its hash.
import type { Command } from 'commander';
import { UsageError } from '../../domain/errors.ts';
import { isApiKeyId, type ApiKeyScope } from '../../store/api-keys.ts';
import { openContext } from '../context.ts';
import { printErr, printJson, printOut } from '../output.ts';

/** `write` includes `read`: a key that may start runs may also watch them. */
function scopesFor(scope: string): ApiKeyScope[] {
  if (scope === 'read') return ['read'];
  if (scope === 'write') return ['read', 'write'];
  throw new UsageError(`--scope must be read or write, not '${scope}'.`);
}

export function registerApiKey(program: Command): void {
  const command = program.command('api-key');

  command
    .command('create')
    .description('Create a key and print it (once: it is not stored, only its hash).')
    .requiredOption('--name <name>', 'what the key is for, e.g. ci or dashboard')
    .option('--scope <scope>', 'read (look) or write (also start, cancel and resume runs)', 'read')
    .option('--json', 'machine-readable output')
    .action(async (flags: { name: string; scope: string; json?: boolean }) => {
      const scopes = scopesFor(flags.scope);
      const context = await openContext({ engine: false });
      try {
        const { key, record } = context.store.apiKeys.create(flags.name, scopes);
        if (flags.json) printJson({ key, ...record });
        else printOut(key);
        printErr(`orch: created API key ${record.id} '${record.name}' (${record.scopes.join(', ')}).`);
        printErr('orch: copy it now: it is not shown again (orch stores only its hash). Send it as "Authorization: Bearer <key>".');
      } finally {
        context.close();
      }
    });

  command
    .command('list')
    .description('List keys (never the keys themselves: their first characters).')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const context = await openContext({ engine: false });
      try {
        const keys = context.store.apiKeys.list();
        if (flags.json) return printJson(keys);
        if (keys.length === 0) return printOut('No API keys. Create one with: orch api-key create --name <name> --scope read|write');
        for (const key of keys) {
          const state = key.revokedAt === null ? `last used ${key.lastUsedAt?.slice(0, 19) ?? 'never'}` : `REVOKED ${key.revokedAt.slice(0, 19)}`;
          printOut(`${key.id}  ${`${key.prefix}…`.padEnd(14)} ${key.scopes.join(',').padEnd(11)} ${key.name.padEnd(20)} ${state}`);
        }
      } finally {
        context.close();
      }
    });

  command
    .command('revoke')
    .description('Revoke a key for good: requests with it get 401 from then on.')
    .argument('<id>', 'key id (key_…), from orch api-key list')
    .action(async (id: string) => {
      if (!isApiKeyId(id)) throw new UsageError(`'${id}' is not an API key id.`, { hint: 'Ids look like key_0123456789abcdef; see orch api-key list.' });
      const context = await openContext({ engine: false });
      try {
        const key = context.store.apiKeys.revoke(id);
        printOut(`revoked ${key.id} '${key.name}'`);
      } finally {
        context.close();
      }
    });
}
