// The merge queue: one merge at a time per target branch, in the order they were asked for. The scheduler asks
// in dependency order, so merges land in dependency order.
export class MergeQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(target: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(target) ?? Promise.resolve();
    const next = previous.then(work, work);
    // The queue goes on after a failed merge; the failure belongs to its caller.
    this.tails.set(
      target,
      next.catch(() => undefined),
    );
    return next;
  }
}
