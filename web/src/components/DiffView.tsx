// An attempt's diff: one block per file with its header and counts; added and removed lines coloured.
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useResource } from '../hooks/useResource.ts';
import { parseUnifiedDiff, type DiffFile } from '../diff/parse.ts';

export function AttemptDiff({ attemptId, version }: { attemptId: string; version: string }) {
  const diff = useResource((signal) => api.getDiff(attemptId, { signal }), [attemptId, version]);
  const files = useMemo(() => (diff.data ? parseUnifiedDiff(diff.data.text) : []), [diff.data]);
  if (diff.error) return <p className="error">Could not load the diff: {diff.error.message}</p>;
  if (!diff.data) return <p className="muted">Loading the diff…</p>;
  if (files.length === 0) return <p className="muted">{diff.data.headSha === null ? 'No commit yet.' : 'No changes.'}</p>;
  const stat = diff.data.stat;
  return (
    <div className="diff" data-testid="diff">
      {stat && (
        <p className="diff-stat">
          {stat.filesChanged} file{stat.filesChanged === 1 ? '' : 's'} changed, <span className="plus">+{stat.insertions}</span>{' '}
          <span className="minus">−{stat.deletions}</span>
          <span className="mono"> {diff.data.baseSha.slice(0, 8)}..{diff.data.headSha?.slice(0, 8)}</span>
        </p>
      )}
      {files.map((file) => (
        <FileDiff key={file.path} file={file} />
      ))}
      {diff.data.truncated && <p className="muted">The diff is longer than shown; the rest is on the attempt's branch.</p>}
    </div>
  );
}

function FileDiff({ file }: { file: DiffFile }) {
  const [open, setOpen] = useState(true);
  return (
    <section className="diff-file">
      <button type="button" className="diff-file-header" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
        <span className="diff-path">{file.from ? `${file.from} → ${file.path}` : file.path}</span>
        {file.status !== 'modified' && <span className={`tag tag-${file.status}`}>{file.status}</span>}
        <span className="diff-counts">
          <span className="plus">+{file.insertions}</span> <span className="minus">−{file.deletions}</span>
        </span>
      </button>
      {open && (
        <table className="diff-lines">
          <tbody>
            {file.lines.map((line, index) => (
              <tr key={index} className={`dl dl-${line.kind}`}>
                <td className="ln">{line.oldNo ?? ''}</td>
                <td className="ln">{line.newNo ?? ''}</td>
                <td className="sign">{line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ''}</td>
                <td className="code">{line.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
