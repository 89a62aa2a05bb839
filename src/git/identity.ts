// Who orch's own commits are by. Set through the environment so no user.name/user.email config is needed.

export interface GitIdentity {
  name: string;
  email: string;
}

export const orchIdentity: GitIdentity = { name: 'orch', email: 'orch@localhost' };

export function identityEnv(identity: GitIdentity = orchIdentity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
}
