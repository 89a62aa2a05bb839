// Printing: progress on stderr (so stdout stays a clean result for scripts), errors with their hint. Much of what is
// printed comes from agents (output, tool summaries, reasons): terminal escape sequences are removed from all of it.
import { OrchError } from '../domain/errors.ts';
import { retryWords } from '../domain/retry-words.ts';
import { stripTerminalControls } from '../domain/terminal-text.ts';
import type { OrchEvent } from '../domain/records.ts';
import { usd } from '../report/markdown.ts';

export const printErr = (line: string): void => {
  process.stderr.write(`${stripTerminalControls(line)}\n`);
};

export const printOut = (text: string): void => {
  const clean = stripTerminalControls(text);
  process.stdout.write(clean.endsWith('\n') ? clean : `${clean}\n`);
};

export function printJson(value: unknown): void {
  printOut(JSON.stringify(value, null, 2));
}

/** stdout that refused the output: what happened and what to do. */
export function describeStreamFailure(error: NodeJS.ErrnoException): string {
  const why = error.code === 'ENOSPC' ? 'the disk it writes to is full' : error.code === 'EBADF' ? 'it is closed or open only for reading' : (error.message || 'it failed');
  return `orch: cannot write to stdout (${error.code ?? 'error'}): ${why}.\n  Send orch's output to a terminal, a pipe or a file on a disk with room.`;
}

export function describeError(error: unknown): string {
  if (error instanceof OrchError) return `orch: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`;
  if (error instanceof Error) return `orch: unexpected error: ${error.message}`;
  return `orch: unexpected error: ${String(error)}`;
}

/** An event field as text; events are JSON, so anything else is shown as JSON. */
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const short = (id: string | null): string => (id === null ? '' : id.slice(-6));

/** One line of human progress for an event, or nothing for events too fine to print. */
export function progressLine(event: OrchEvent): string | undefined {
  const d = event.data;
  const who = event.attemptId ? `[${short(event.attemptId)}] ` : '';
  switch (event.type) {
    case 'run.started':
      return `run ${event.runId ?? ''} started: ${text(d['strategy'])} → ${text(d['target'])}`;
    case 'attempt.created':
      return `${who}attempt ${text(d['n'])} with ${text(d['agent'])}${d['model'] ? ` (${text(d['model'])})` : ''} on ${text(d['branch'])}`;
    case 'attempt.started':
      return d['pid'] === null ? `${who}agent running on a worker` : `${who}agent running (pid ${text(d['pid'])})`;
    case 'run.delivered':
      return `${text(d['message'])}`;
    case 'attempt.worker':
      return `${who}taken by worker ${text(d['worker'])} on ${text(d['host'])}${Number(d['delivery']) > 1 ? ` (delivery ${text(d['delivery'])}: the worker before it stopped)` : ''}`;
    case 'attempt.activity':
      if (d['kind'] === 'tool') return `${who}  ${text(d['tool'])} ${text(d['summary'])}`;
      if (d['kind'] === 'retry') return `${who}  ${retryWords(d)}`;
      return undefined;
    case 'attempt.finished': {
      const diff = d['diff'] as { filesChanged: number; insertions: number; deletions: number } | null;
      const diffText = diff ? `, ${diff.filesChanged} files +${diff.insertions} -${diff.deletions}` : '';
      const detail = d['detail'] ? `: ${text(d['detail'])}` : '';
      return `${who}attempt ${text(d['status'])} (${text(d['reason'])})${diffText}, ${usd(Number(d['costUsd'] ?? 0))}${detail}`;
    }
    case 'verdict.recorded': {
      const checks = (d['checks'] as { name: string; passed: boolean }[]).map((c) => `${c.name} ${c.passed ? 'passed' : 'FAILED'}`);
      const review = d['review'] as { score: number; pass: boolean } | null;
      const reviewText = review ? `, review ${review.score}/10 ${review.pass ? 'pass' : 'fail'}` : d['reviewError'] ? `, review failed: ${text(d['reviewError'])}` : '';
      const judgement = d['judgement'] as { summary: string } | null | undefined;
      // Why no check is listed, as the judge said (events of older runs lack it: then from the judgement alone).
      const none = typeof d['checksNote'] === 'string' ? d['checksNote'] : judgement === null || judgement === undefined ? 'not run' : 'none ran';
      const detail = judgement && judgement.summary.includes(':') ? ` — ${judgement.summary.slice(judgement.summary.indexOf(':') + 1).trim()}` : '';
      return `${who}checks: ${checks.join(', ') || none}${reviewText} → ${d['passed'] ? 'pass' : 'fail'}${detail}`;
    }
    case 'baseline.recorded': {
      const checks = d['checks'] as { name: string; passed: boolean; failedTests: string[] | null }[];
      if (d['red'] !== true) return `base ${text(d['baseSha']).slice(0, 12)}: checks pass before any change`;
      const failing = checks.filter((c) => !c.passed).map((c) => (c.failedTests && c.failedTests.length > 0 ? `${c.name} (${c.failedTests.join('; ')})` : c.name));
      return `base ${text(d['baseSha']).slice(0, 12)} is RED: ${failing.join(', ')} already fail before any change; attempts are judged on what they fix and break`;
    }
    case 'attempt.interrupted':
      return `${who}attempt interrupted: ${text(d['detail'])}`;
    case 'attempt.orphan_stopped':
      return `${who}stopped an orphaned agent (pid ${text(d['pid'])}) left by an earlier orch`;
    case 'selection.made':
      return `selection: ${text(d['reason'])}`;
    case 'comparison.recorded':
      return `compare ${short(text(d['aAttemptId']))} vs ${short(text(d['bAttemptId']))} → ${short(text(d['winnerAttemptId']))}${d['status'] === 'compare_failed' ? ' (comparator failed; chosen by the rules)' : ''}`;
    case 'agent_call.recorded':
      return d['status'] === 'reviewed' || d['status'] === 'compared' ? undefined : `${who}${text(d['kind'])} ${text(d['status'])}`;
    case 'run.resumed':
      return `run ${event.runId ?? ''} resumed`;
    case 'run.note':
      return `note: ${text(d['message'])}`;
    case 'merge.recorded':
      return `${who}merge ${text(d['status'])}: ${text(d['message'])}`;
    case 'run.succeeded':
    case 'run.failed':
    case 'run.interrupted':
      return `run ${event.type.slice(4)}${d['reason'] ? `: ${text(d['reason'])}` : ''}`;
    default:
      return undefined;
  }
}
