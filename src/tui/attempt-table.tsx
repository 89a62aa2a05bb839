// One row per attempt. When they do not all fit, a window of rows that always holds the selection, and a title
// that still counts every attempt.
/** @jsxRuntime automatic */
import { Text } from 'ink';
import { memo, useMemo } from 'react';
import { cells, columnsFor, statusColor, statusIcon, type Column, type ColumnKey } from './columns.ts';
import { fit, shortenMiddle } from './format.ts';
import type { AttemptView } from './state.ts';

interface TableProps {
  attempts: readonly AttemptView[];
  selected: number;
  offset: number;
  rows: number;
  columnHeader: boolean;
  width: number;
  now: number;
  winner: string | null;
  /** Attempts whose work was merged (every task's in a plan run): each row gets the ★. */
  landed: readonly string[];
}

const order: readonly AttemptView['status'][] = ['running', 'queued', 'succeeded', 'failed', 'interrupted', 'canceled'];

function Title({ attempts, offset, rows }: { attempts: readonly AttemptView[]; offset: number; rows: number }) {
  const counts = order
    .map((status) => [status, attempts.filter((a) => a.status === status).length] as const)
    .filter(([, count]) => count > 0);
  const hidden = attempts.length > rows;
  return (
    <Text wrap="truncate-end">
      <Text bold>{attempts.length === 1 ? '1 attempt' : `${attempts.length} attempts`}</Text>
      {counts.map(([status, count]) => (
        <Text key={status} color={statusColor[status]}>{`  ${statusIcon[status]} ${count} ${status}`}</Text>
      ))}
      {hidden ? <Text dimColor>{`   rows ${offset + 1}–${Math.min(offset + rows, attempts.length)} of ${attempts.length}, ↑ ${offset} ↓ ${attempts.length - offset - rows}`}</Text> : null}
    </Text>
  );
}

const titles = (columns: readonly Column[]): string => columns.map((c) => fit(c.title, c.width, c.align)).join(' ');

interface RowProps {
  attempt: AttemptView;
  columns: readonly Column[];
  selected: boolean;
  /** Whole seconds: a running attempt's clock is the only thing that changes without an event. */
  second: number;
  winner: string | null;
}

/** Cells joined into as few spans as the colours allow: ink's cost grows with spans, and there are 50+ rows. */
function RowLine({ attempt, columns, selected, second, winner }: RowProps) {
  const values = cells(attempt, second * 1000, winner);
  const colorOf = (key: ColumnKey): string | undefined => {
    if (key === 'status') return statusColor[attempt.status];
    if (key === 'verdict' && attempt.verdict) return attempt.verdict.passed ? 'green' : 'red';
    return undefined;
  };
  const spans: { color: string | undefined; text: string }[] = [{ color: undefined, text: selected ? '› ' : '  ' }];
  columns.forEach((c, i) => {
    // Activity is mostly a tool and a path, a task key a path of keys: cut in the middle, so the name stays.
    const value = c.key === 'activity' || c.key === 'task' ? shortenMiddle(values[c.key], c.width) : values[c.key];
    const text = fit(value, c.width, c.align) + (i < columns.length - 1 ? ' ' : '');
    const color = colorOf(c.key);
    const last = spans.at(-1);
    if (last && last.color === color) last.text += text;
    else spans.push({ color, text });
  });
  return (
    <Text wrap="truncate-end" bold={selected}>
      {spans.map((span, i) => (span.color ? <Text key={i} color={span.color}>{span.text}</Text> : span.text))}
    </Text>
  );
}

const Row = memo(RowLine);

export function AttemptTable(props: TableProps) {
  const taskWidth = useMemo(() => {
    const keys = new Set(props.attempts.map((a) => a.taskKey));
    return keys.size > 1 ? Math.max(...[...keys].map((k) => [...k].length)) : 0;
  }, [props.attempts]);
  const columns = useMemo(() => columnsFor(props.width, taskWidth), [props.width, taskWidth]);
  const visible = props.attempts.slice(props.offset, props.offset + props.rows);
  return (
    <>
      <Title attempts={props.attempts} offset={props.offset} rows={props.rows} />
      {props.columnHeader ? <Text dimColor wrap="truncate-end">{`  ${titles(columns)}`}</Text> : null}
      {props.attempts.length === 0 ? <Text dimColor>  no attempt yet</Text> : null}
      {visible.map((attempt, i) => (
        <Row
          key={attempt.id}
          attempt={attempt}
          columns={columns}
          selected={props.offset + i === props.selected}
          second={attempt.status === 'running' ? Math.floor(props.now / 1000) : 0}
          winner={props.landed.includes(attempt.id) ? attempt.id : props.winner}
        />
      ))}
    </>
  );
}
