/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are scratch values or
   bookkeeping; reactive collections are replaced wholesale in `$state.raw` and never mutated. */
/**
 * Non-modal messages at the bottom of the window: what an action did, or what failed and why.
 *
 * Never a modal alert: a failed favourite must not stop the next keystroke. Errors stay until
 * dismissed (the person may be looking elsewhere when it fails); confirmations fade by
 * themselves. Shown by components/Toasts.svelte in an ARIA live region.
 */
export interface Toast {
  readonly id: number;
  readonly tone: 'info' | 'error';
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
    const items = [...this.items, { ...toast, id }];
    for (const dropped of items.slice(0, Math.max(0, items.length - MAX_TOASTS))) this.#clearTimer(dropped.id);
    this.items = items.slice(-MAX_TOASTS);
    if (toast.tone === 'info')
      this.#timers.set(
        id,
        setTimeout(() => this.dismiss(id), INFO_TOAST_MS),
      );
    return id;
  }

  error(title: string, detail?: string): number {
    return this.show({ tone: 'error', title, detail });
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
