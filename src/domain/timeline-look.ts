// How each phase of a timeline looks, the same in the audit trail's timeline.svg and the web dashboard's chart:
// its colour and the words a person reads in a legend or a tooltip.
import type { TimelinePhaseName } from './timeline.ts';

export const phaseColour: Record<TimelinePhaseName, string> = {
  queued: '#d0d4da',
  preparing: '#a9b4c2',
  credential_wait: '#e4572e',
  agent: '#2e86de',
  backoff: '#f3a712',
  waiting: '#f1f2f4',
  checks: '#29a36a',
  review: '#8e44ad',
  merge_queue: '#c7a0d9',
  merging: '#16a085',
  merge_checks: '#0b6e4f',
};

export const phaseLabel: Record<TimelinePhaseName, string> = {
  queued: 'queued (agent limit)',
  preparing: 'preparing',
  credential_wait: 'waiting on a rate-limited credential',
  agent: 'agent working',
  backoff: 'retry back-off',
  waiting: 'waiting',
  checks: 'checks',
  review: 'review',
  merge_queue: 'merge queue',
  merging: 'merging',
  merge_checks: 'checks on the merged tree',
};
