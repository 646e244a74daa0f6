/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are scratch values or
   bookkeeping; reactive collections are replaced wholesale in `$state.raw` and never mutated. */
/**
 * Non-modal messages at the bottom of the window: what an action did, or what failed and why.
 *
 * Never a modal alert: a failed favourite must not stop the next keystroke. Errors stay until
 * dismissed or until their cause recovers (the person may be looking elsewhere when it fails);
 * confirmations and hints fade by themselves. Shown by components/Toasts.svelte in an ARIA live
 * region.
 *
 * [Note: Toast causes] A toast may name its cause ('connection', or its own title by default
 * for errors). A new toast with the same cause replaces the old one, so ten failed favourites
 * while the server is down show one message, not a stack; `resolve(cause)` takes them away
 * when the cause is gone (App.svelte resolves 'connection' and 'auth' once the server answers).
 */
import { ERROR_KINDS, isAppError, type ErrorKind } from '../../../shared/errors';

export interface Toast {
  readonly id: number;
  /** `info`: something was done (✓); `hint`: what to do first (not a success); `error`. */
  readonly tone: 'info' | 'hint' | 'error';
  /** What it is about; one toast per cause (see [Note: Toast causes]). */
  readonly cause?: string | undefined;
  /** One line: "Couldn't favourite 2 of 3 photos". */
  readonly title: string;
  /** The why, from the AppError message: "The server refused the change. …". */
  readonly detail?: string | undefined;
  /** One button, e.g. "Undo". */
  readonly action?: { readonly label: string; readonly run: () => void } | undefined;
}

/** How long a confirmation stays. */
export const INFO_TOAST_MS = 4000;
/** At most this many toasts on screen; older ones make room. */
const MAX_TOASTS = 4;

export class ToastState {
  items = $state.raw<readonly Toast[]>([]);
  #nextId = 1;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();

  /** Show a message; returns its id (for `dismiss`). */
  show(toast: Omit<Toast, 'id'>): number {
    const id = this.#nextId++;
    const cause = toast.cause ?? (toast.tone === 'error' ? toast.title : undefined);
    const same = cause === undefined ? [] : this.items.filter((item) => item.cause === cause);
    for (const old of same) this.#clearTimer(old.id);
    const items = [...this.items.filter((item) => !same.includes(item)), { ...toast, cause, id }];
    for (const dropped of items.slice(0, Math.max(0, items.length - MAX_TOASTS))) this.#clearTimer(dropped.id);
    this.items = items.slice(-MAX_TOASTS);
    if (toast.tone !== 'error')
      this.#timers.set(
        id,
        setTimeout(() => this.dismiss(id), INFO_TOAST_MS),
      );
    return id;
  }

  /** A failure; `cause` defaults to the title (or the error's kind, see `causeOf`). */
  error(title: string, detail?: string, cause?: string): number {
    return this.show({ tone: 'error', title, detail, cause });
  }

  /** What to do before an action can run ("Select some photos first."): neutral, never a ✓. */
  hint(title: string): number {
    return this.show({ tone: 'hint', title, cause: title });
  }

  /** The cause is gone (the server answers again): its toasts go too. */
  resolve(cause: string): void {
    const gone = this.items.filter((toast) => toast.cause === cause);
    if (gone.length === 0) return;
    for (const toast of gone) this.#clearTimer(toast.id);
    this.items = this.items.filter((toast) => toast.cause !== cause);
  }

  info(title: string, action?: Toast['action']): number {
    return this.show({ tone: 'info', title, action });
  }

  dismiss(id: number): void {
    this.#clearTimer(id);
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  dispose(): void {
    for (const id of this.#timers.keys()) this.#clearTimer(id);
  }

  #clearTimer(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }
}

/** Error kinds that say the server could not be reached: they recover when it answers again. */
const CONNECTION_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['network', 'tls', 'server', 'rate-limited']);

/**
 * The cause an error's toast belongs to, from a thrown error or a failure's kind: 'connection'
 * (recovers when the server answers), 'auth' (recovers on signing in), else undefined (the
 * toast's own title).
 */
export function causeOf(error: unknown): string | undefined {
  const kind = isAppError(error) ? error.kind : ERROR_KIND_SET.has(error as ErrorKind) ? (error as ErrorKind) : undefined;
  if (kind === 'auth') return 'auth';
  return kind !== undefined && CONNECTION_KINDS.has(kind) ? 'connection' : undefined;
}

const ERROR_KIND_SET: ReadonlySet<ErrorKind> = new Set(ERROR_KINDS);
