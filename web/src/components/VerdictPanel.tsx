// The judgement of one attempt: each check with its output (collapsed), and the reviewer's score and reasons.
import type { Attempt, Verdict } from 'orch/client';
import { duration } from '../format.ts';

export function VerdictPanel({ attempt, verdict }: { attempt: Attempt; verdict: Verdict | undefined }) {
  return (
    <div className="verdict">
      <dl className="facts">
        <dt>branch</dt>
        <dd className="mono">{attempt.branch}</dd>
        {attempt.sessionId && (
          <>
            <dt>session</dt>
            <dd className="mono">{attempt.sessionId}</dd>
          </>
        )}
        {attempt.detail && (
          <>
            <dt>detail</dt>
            <dd>{attempt.detail}</dd>
          </>
        )}
      </dl>
      {!verdict && <p className="muted">Not judged yet.</p>}
      {verdict && (
        <>
          <p className={`verdict-line ${verdict.passed ? 'pass' : 'fail'}`}>{verdict.passed ? '✓ passes its checks' : '✗ does not pass'}</p>
          {verdict.checks.length === 0 && <p className="muted">No check commands are configured.</p>}
          {verdict.checks.map((check) => (
            <details key={check.name} className={`check-detail ${check.passed ? 'pass' : 'fail'}`}>
              <summary>
                <span className="check-mark">{check.passed ? '✓' : '✗'}</span>
                <strong>{check.name}</strong> <code>{check.command}</code>
                <span className="muted">
                  {' '}
                  · {check.timedOut ? 'timed out' : `exit ${check.exitCode ?? '—'}`} · {duration(check.durationMs)}
                </span>
              </summary>
              <pre className="output">{check.outputTail || '(no output)'}</pre>
            </details>
          ))}
          {verdict.review && (
            <div className="review">
              <h4>
                Review <span className={`score ${verdict.review.pass ? 'pass' : 'fail'}`}>{verdict.review.score}/10</span>{' '}
                <span className="muted">{verdict.review.pass ? 'pass' : 'fail'}</span>
              </h4>
              <p className="prose">{verdict.review.reasoning}</p>
              {verdict.review.risks.length > 0 && (
                <ul className="risks">
                  {verdict.review.risks.map((risk) => (
                    <li key={risk}>{risk}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {verdict.reviewError && <p className="error">The review failed: {verdict.reviewError}</p>}
        </>
      )}
    </div>
  );
}
