import type { ActivityEntry } from '../../../shared/events/schema';
import { api } from '../api';

/** How many recent events the Activity view lists. */
export const ACTIVITY_LIMIT = 200;

/**
 * The Activity view's data: recent events from the local log (`activity.recent`), re-read
 * whenever main says the log changed (`activity.changed`) — only while the view is shown, and
 * coalesced so a burst of events costs one read.
 */
export class ActivityState {
  entries = $state.raw<readonly ActivityEntry[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>(undefined);

  #unsubscribe: (() => void) | undefined;
  #reading: Promise<void> | undefined;
  #again = false;

  /** Start following the log (the view is shown). */
  open(): Promise<void> {
    this.#unsubscribe ??= api.on('activity.changed', () => void this.reload());
    return this.reload();
  }

  /** Stop following (the view is hidden). */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Read the log now; a read during a read is folded into one more read after it. */
  reload(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      do {
        this.#again = false;
        try {
          this.entries = await api.call('activity.recent', { limit: ACTIVITY_LIMIT });
          this.error = undefined;
        } catch (error) {
          this.error = error instanceof Error ? error.message : String(error);
        }
      } while (this.#again);
      this.loaded = true;
      this.#reading = undefined;
    })();
    return this.#reading;
  }
}
