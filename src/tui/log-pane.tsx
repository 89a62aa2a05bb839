// The selected attempt's latest activity, newest at the bottom.
/** @jsxRuntime automatic */
import { Text } from 'ink';
import type { AttemptView } from './state.ts';

export function LogPane({ attempt, lines }: { attempt: AttemptView | undefined; lines: number }) {
  if (attempt === undefined) return null;
  const shown = attempt.log.slice(-lines);
  return (
    <>
      <Text wrap="truncate-end" color="blue">
        {`── ${attempt.taskKey !== '' && attempt.taskKey !== 'main' ? `task ${attempt.taskKey} ` : ''}#${attempt.n} ${attempt.model ? `${attempt.agent}:${attempt.model}` : attempt.agent} ${attempt.id} ${attempt.branch} `}
        <Text dimColor>{`(last ${shown.length} of ${attempt.log.length} lines; orch logs ${attempt.id} for all)`}</Text>
      </Text>
      {shown.length === 0 ? <Text dimColor>  no activity yet</Text> : null}
      {shown.map((text, i) => (
        <Text key={`${attempt.log.length - shown.length + i}`} wrap="truncate-end">
          {`  ${text}`}
        </Text>
      ))}
    </>
  );
}
