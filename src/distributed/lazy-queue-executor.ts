// The queue executor, loaded when a run first needs it: BullMQ and its Redis client cost start-up time that runs on
// the local executor should not pay.
import type { AttemptResult, AttemptSink, AttemptSpec, Executor } from '../executor/contract.ts';
import type { QueueExecutor, QueueExecutorOptions } from './queue-executor.ts';

export function lazyQueueExecutor(options: QueueExecutorOptions): Executor {
  let loaded: Promise<QueueExecutor> | undefined;
  const load = () => (loaded ??= import('./queue-executor.ts').then(({ QueueExecutor }) => new QueueExecutor(options)));
  return {
    remote: true,
    runAttempt: async (spec: AttemptSpec, sink: AttemptSink, signal: AbortSignal): Promise<AttemptResult> => (await load()).runAttempt(spec, sink, signal),
    close: async () => {
      if (loaded !== undefined) await (await loaded).close();
    },
  };
}
