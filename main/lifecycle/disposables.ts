/**
 * Teardown in reverse order of construction.
 *
 * compose() registers every long-lived service here as it builds it; dispose() stops them
 * last-built-first, so nothing outlives what it depends on. Errors are collected, not thrown
 * halfway, so one failing service cannot keep the database open.
 */
export type Disposer = () => void | Promise<void>;

export class DisposableStore {
  readonly #disposers: Disposer[] = [];
  #disposed = false;

  add(disposer: Disposer): void {
    if (this.#disposed) throw new Error('DisposableStore already disposed');
    this.#disposers.push(disposer);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const disposer of this.#disposers.reverse()) {
      try {
        await disposer();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'Some services failed to stop');
  }
}
