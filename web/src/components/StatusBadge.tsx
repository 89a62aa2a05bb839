export function StatusBadge({ status, title }: { status: string; title?: string | undefined }) {
  return (
    <span className={`badge badge-${status}`} title={title} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {status.replace(/_/g, ' ')}
    </span>
  );
}
