import type { ConnectionStatus } from '../../../shared/library/schemas';
import { api } from '../api';
import { takeBoot } from '../boot';

/**
 * The PhotoPrism connection as main reports it (`connection.status` + `connection.changed`).
 *
 * Decides which screen the window shows: onboarding until there is a server, the library
 * after — also while offline or when the session expired, because the cache stays browsable.
 */
export class ConnectionState {
  status = $state.raw<ConnectionStatus | undefined>(undefined);
  /** Loaded once (successfully or not): until then the window shows nothing to avoid a flash. */
  loaded = $state(false);
  /** The user asked to sign in (again) from a banner while a library is showing. */
  signInRequested = $state(false);
  /**
   * How many times the server came back: a status turning `online` from any other state. Failures
   * caused by the connection clear then — not on every status push while online (index progress,
   * a refresh's answer), which says nothing about a server that answered the last request with a 500.
   */
  cameOnline = $state(0);

  /**
   * A server is configured: show the library (online, offline, needing sign-in, or signed out:
   * signing out forgets the session, not the cache, which stays browsable behind a banner).
   */
  readonly hasLibrary = $derived(this.status !== undefined && this.status.serverUrl !== null);

  #unsubscribe: (() => void) | undefined;

  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('connection.changed', (next) => this.apply(next));
    try {
      // From the boot call when it answered (renderer/lib/boot.ts), else its own call.
      this.apply((await takeBoot('connection')) ?? (await api.call('connection.status', {})));
    } catch {
      // No connection service yet (or the core is down): stay on onboarding; the form reports
      // its own errors when the person tries to connect.
    } finally {
      this.loaded = true;
    }
  }

  /** A newer status (event, sign-in answer, refresh answer). */
  apply(next: ConnectionStatus): void {
    if (next.state === 'online' && this.status?.state !== 'online') this.cameOnline++;
    this.status = next;
    if (next.state === 'online') this.signInRequested = false;
  }

  /** Ask main to refresh the cache now; the answer is the new status. */
  async refresh(): Promise<void> {
    this.apply(await api.call('library.refresh', {}));
  }

  async signOut(): Promise<void> {
    this.apply(await api.call('connection.signOut', {}));
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
