// One row per attempt. When they do not all fit, a window of rows that always holds the selection, and a title
// that still counts every attempt.
/** @jsxRuntime automatic */
import { Text } from 'ink';
import { cells, columnsFor, statusColor, statusIcon, type Column } from './columns.ts';
import { fit } from './format.ts';
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

const line = (columns: readonly Column[], values: (c: Column) => string): string => columns.map((c) => fit(values(c), c.width, c.align)).join(' ');

function Row({ attempt, columns, selected, now, winner }: { attempt: AttemptView; columns: readonly Column[]; selected: boolean; now: number; winner: string | null }) {
  const values = cells(attempt, now, winner);
  return (
    <Text wrap="truncate-end" bold={selected}>
      {selected ? '› ' : '  '}
      {columns.map((c, i) => {
        const text = fit(values[c.key], c.width, c.align) + (i < columns.length - 1 ? ' ' : '');
        if (c.key === 'status') return <Text key={c.key} color={statusColor[attempt.status]}>{text}</Text>;
        if (c.key === 'verdict' && attempt.verdict) return <Text key={c.key} color={attempt.verdict.passed ? 'green' : 'red'}>{text}</Text>;
        if (c.key === 'activity' && !selected) return <Text key={c.key} dimColor={attempt.status !== 'running'}>{text}</Text>;
        return <Text key={c.key}>{text}</Text>;
      })}
    </Text>
  );
}

export function AttemptTable(props: TableProps) {
  const columns = columnsFor(props.width);
  const visible = props.attempts.slice(props.offset, props.offset + props.rows);
  return (
    <>
      <Title attempts={props.attempts} offset={props.offset} rows={props.rows} />
      {props.columnHeader ? <Text dimColor wrap="truncate-end">{`  ${line(columns, (c) => c.title)}`}</Text> : null}
      {props.attempts.length === 0 ? <Text dimColor>  no attempt yet</Text> : null}
      {visible.map((attempt, i) => (
        <Row key={attempt.id} attempt={attempt} columns={columns} selected={props.offset + i === props.selected} now={props.now} winner={props.winner} />
      ))}
    </>
  );
}
