/**
 * The app's ONE serial queue: tasks run one at a time, in the order they were queued. A task
 * that fails does not stop the ones behind it (its caller gets the failure), which a bare
 * `promise.then(task)` chain gets wrong: one rejection would skip every later task.
 *
 * Used where order is the contract: curation actions (one at a time so undo applies in order),
 * library refreshes (one answer never overwrites a newer one), CloudKit requests (one at a time
 * per session, docs/cloudkit.md §2.3), exports (one export at a time, names chosen in order).
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Run `task` after everything queued before it; settles as the task does. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves (never rejects) once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
