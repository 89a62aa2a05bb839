// The credential pools of this process, one per agent, built from $ORCH_HOME/credentials.json.
import { CredentialPool, loadCredentialsFile, orderedCredentials, type CredentialsFile } from '../../agents/credentials.ts';
import { AgentSetupError } from '../../domain/errors.ts';

export class CredentialPools {
  private readonly pools = new Map<string, CredentialPool>();

  constructor(readonly file: CredentialsFile) {}

  static load(path: string): CredentialPools {
    return new CredentialPools(loadCredentialsFile(path));
  }

  pool(agent: string): CredentialPool {
    let pool = this.pools.get(agent);
    if (pool === undefined) {
      const entry = this.file[agent];
      pool = new CredentialPool(agent, orderedCredentials(entry?.mode ?? 'login-first', entry?.credentials ?? []));
      this.pools.set(agent, pool);
    }
    return pool;
  }

  /** Whether the agent can authenticate without the user's own login (keys from the file). */
  hasKeys(agent: string): boolean {
    return (this.file[agent]?.credentials.length ?? 0) > 0;
  }

  /** A keys-only pool without keys can never start an agent: say so before the run. */
  assertUsable(agent: string): void {
    const entry = this.file[agent];
    if (entry?.mode === 'keys-only' && entry.credentials.length === 0) {
      throw new AgentSetupError('agent_auth', `The credentials file sets ${agent} to keys-only but lists no keys.`, {
        hint: `Add a key under "${agent}".credentials, or set its mode to login-first.`,
      });
    }
  }
}
