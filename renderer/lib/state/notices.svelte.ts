import type { StartupNotice } from '../../../shared/notices';
import { api } from '../api';

/**
 * What main repaired at start (a damaged database, a bad settings file), shown once as cards at
 * the top of the window until the person dismisses them or answers the iCloud Sync question.
 */
export class NoticesState {
  items = $state.raw<readonly StartupNotice[]>([]);
  /** A sentence when answering failed (e.g. iCloud Sync is not available in this build). */
  error = $state<string | undefined>(undefined);
  busy = $state(false);

  #unsubscribe: (() => void) | undefined;

  async load(): Promise<void> {
    // The sync question goes away once the person chose, wherever they chose (Settings too).
    this.#unsubscribe ??= api.on('settings.changed', () => void this.#refresh());
    await this.#refresh();
  }

  async dismiss(id: string): Promise<void> {
    await this.#run(async () => {
      this.items = await api.call('app.dismissNotice', { id });
    });
  }

  /** Answer "Should iCloud Sync be on?" (the notice then goes away by itself). */
  async chooseSync(enabled: boolean): Promise<void> {
    await this.#run(async () => {
      await api.call('sync.setEnabled', { enabled });
      await this.#refresh();
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async #refresh(): Promise<void> {
    try {
      this.items = await api.call('app.notices', {});
    } catch {
      // An older core without notices, or a dropped bridge: nothing to show.
    }
  }

  async #run(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await fn();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }
}
