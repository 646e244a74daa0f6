import { errorMessage } from '../../../shared/errors';
import type { SyncStatus } from '../../../shared/sync/state';
import { statusLine, type StatusLine } from '../../../shared/sync/status-line';
import { api } from '../api';

/** How often "synced 2 min ago" is re-worded while the window is open. */
export const STATUS_TICK_MS = 30_000;

/** One record in our iCloud zone, as "View iCloud data" lists it. */
export type CloudRecord = { recordName: string; event: unknown };

/**
 * iCloud Sync as the window shows it: the engine's status (`sync.status` + its event), the
 * title-bar status line, and the Settings commands (turn on/off, sign in/out, sync now, pause,
 * upload again, view and delete the iCloud data).
 *
 * Commands answer with the new status; a failure keeps the last status and sets `error` to
 * the AppError's sentence, which Settings shows next to the buttons.
 */
export class SyncState {
  status = $state.raw<SyncStatus | undefined>(undefined);
  /** The clock the status line is worded against; ticks while the window is open. */
  nowMs = $state(Date.now());
  /** A command is running (buttons disable). */
  busy = $state<string | null>(null);
  error = $state<string | undefined>(undefined);
  /** "View iCloud data": null until fetched. */
  cloudData = $state.raw<readonly CloudRecord[] | null>(null);

  readonly line = $derived<StatusLine | undefined>(this.status ? statusLine(this.status, this.nowMs) : undefined);

  readonly #now: () => number;
  readonly #open: (url: string) => void;
  #unsubscribe: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    options: {
      now?: () => number;
      /** Opens iCloud's sign-in page (web shell: a new tab). */
      openUrl?: (url: string) => void;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#open = options.openUrl ?? ((url) => void window.open(url, '_blank', 'noopener'));
    this.nowMs = this.#now();
  }

  async load(): Promise<void> {
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe.push(
        api.on('sync.status', (status) => this.#apply(status)),
        api.on('sync.openSignIn', ({ url }) => this.#open(url)),
      );
      this.#timer = setInterval(() => (this.nowMs = this.#now()), STATUS_TICK_MS);
    }
    try {
      this.#apply(await api.call('sync.status', {}));
    } catch {
      // No sync service (a build without iCloud): the status line stays empty.
    }
  }

  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    clearInterval(this.#timer);
  }

  setEnabled(enabled: boolean): Promise<void> {
    return this.#command(enabled ? 'enable' : 'disable', () => api.call('sync.setEnabled', { enabled }));
  }

  signIn(): Promise<void> {
    return this.#command('sign-in', () => api.call('sync.signIn', {}));
  }

  signOut(): Promise<void> {
    return this.#command('sign-out', () => api.call('sync.signOut', {}));
  }

  syncNow(): Promise<void> {
    return this.#command('sync-now', () => api.call('sync.now', {}));
  }

  pause(): Promise<void> {
    return this.#command('pause', () => api.call('sync.pause', {}));
  }

  resume(): Promise<void> {
    return this.#command('resume', () => api.call('sync.resume', {}));
  }

  /** Use the different iCloud account sync found (Settings asks first). */
  confirmAccountSwitch(): Promise<void> {
    return this.#command('confirm-account', () => api.call('sync.confirmAccountSwitch', {}));
  }

  uploadAgain(): Promise<void> {
    return this.#command('upload-again', () => api.call('sync.uploadAgain', {}));
  }

  /** Delete our zone in iCloud; main turns sync off afterwards. */
  async deleteCloudData(): Promise<void> {
    await this.#command('delete', () => api.call('sync.deleteCloudData', {}));
    if (this.error === undefined) this.cloudData = null;
  }

  /** Fetch what is in our iCloud zone right now. */
  async loadCloudData(): Promise<void> {
    this.busy = 'cloud-data';
    this.error = undefined;
    try {
      this.cloudData = await api.call('sync.cloudData', {});
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = null;
    }
  }

  #apply(status: SyncStatus): void {
    this.status = status;
    this.nowMs = this.#now();
  }

  async #command(name: string, call: () => Promise<SyncStatus>): Promise<void> {
    this.busy = name;
    this.error = undefined;
    try {
      this.#apply(await call());
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = null;
    }
  }
}
