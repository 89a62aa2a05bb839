// Expected failures are data: every attempt, check and run ends with a reason from these unions.

/** What an agent CLI's exit meant, as its adapter reads it. */
export type AgentClassification = 'ok' | 'rate_limited' | 'auth' | 'budget' | 'max_turns' | 'transient' | 'fatal';

export const attemptReasons = [
  'completed',
  'no_changes',
  'agent_error',
  'rate_limited',
  'auth',
  'budget',
  'max_turns',
  'transient',
  'timed_out',
  'stuck',
  'interrupted',
  'canceled',
  'spawn_failed',
] as const;
export type AttemptReason = (typeof attemptReasons)[number];

export function reasonForClassification(classification: AgentClassification): AttemptReason {
  switch (classification) {
    case 'ok':
      return 'completed';
    case 'fatal':
      return 'agent_error';
    default:
      return classification;
  }
}
