import type { Attachment } from 'svelte/attachments';
import { keyRouter, type KeyLayer, type KeyScope, type RoutedKey } from './key-router';

/** What `modalDialog` needs to know about the dialog it runs. */
export interface ModalDialogOptions {
  /** The key scope's name; default "dialog: " and the dialog's aria-label. */
  readonly name?: string;
  /** The key layer: 'modal' for sheets and dialogs, 'viewer' for the photo viewer. */
  readonly layer?: KeyLayer;
  /** Layers the dialog takes the keys from (default: all below, see key-router.ts). */
  readonly covers?: readonly KeyLayer[];
  /** Esc and the browser's own close request ask this; without it the dialog's keys decide. */
  readonly onclose?: (() => void) | undefined;
  /** The dialog's other keys (the viewer's arrows); true when used. */
  readonly handle?: ((event: RoutedKey) => boolean) | undefined;
}

/**
 * [Note: Native modal dialogs]
 *
 * Every modal surface (Modal's sheets, the sign-in sheet, the photo viewer) is a `<dialog>` opened
 * with `showModal()`: the browser puts it in the top layer and makes the rest of the page inert,
 * so no click reaches the grid behind it and screen readers treat it as modal. This attachment is
 * the one place that:
 * - opens it, and focuses its `[data-autofocus]` element, first field, or the dialog itself;
 * - keeps Tab inside it (in a browser Tab would otherwise go on to the browser's toolbar);
 * - turns Esc and the browser's close request into `onclose`: whoever opened it decides when it
 *   closes, it never closes behind that owner's back;
 * - pushes its key scope, so the app's shortcuts pause behind it ([Note: One key owner]);
 * - gives the focus back to where it was when the dialog goes, if that element is still there.
 */
export function modalDialog(options: ModalDialogOptions): Attachment<HTMLDialogElement> {
  return (dialog) => {
    const before = dialog.ownerDocument.activeElement;
    if (!dialog.open) dialog.showModal();
    const target = dialog.querySelector<HTMLElement>('[data-autofocus], input, textarea') ?? dialog;
    target.focus();

    const scope: KeyScope = {
      name: options.name ?? `dialog: ${dialog.getAttribute('aria-label') ?? ''}`,
      layer: options.layer ?? 'modal',
      ...(options.covers ? { covers: options.covers } : {}),
      handle: (event) => {
        // The dialog's own keys first: in Compare, Tab switches the side instead of moving on.
        if (options.handle?.(event)) return true;
        if (event.key === 'Escape' && options.onclose) {
          options.onclose();
          return true;
        }
        const plainTab = event.key === 'Tab' && !event.metaKey && !event.ctrlKey && !event.altKey;
        return plainTab && keepTabInside(dialog, event.shiftKey);
      },
    };
    const removeScope = keyRouter.push(scope);

    const onCancel = (event: Event) => {
      // The browser's own close request (Esc when no key handler took it): the owner closes it.
      event.preventDefault();
      options.onclose?.();
    };
    dialog.addEventListener('cancel', onCancel);

    return () => {
      dialog.removeEventListener('cancel', onCancel);
      removeScope();
      if (dialog.open) dialog.close();
      if (before instanceof HTMLElement && before.isConnected && before !== dialog.ownerDocument.body) before.focus();
    };
  };
}

/** Elements Tab stops at. */
const FOCUSABLE = 'input:not(:disabled), textarea:not(:disabled), select:not(:disabled), button:not(:disabled), [tabindex="0"], a[href]';

/**
 * Tab from the last element goes to the first (⇧Tab from the first to the last). Returns true
 * when it moved the focus; otherwise the browser moves it within the dialog.
 */
export function keepTabInside(dialog: HTMLElement, backwards: boolean): boolean {
  const focusables = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => !element.closest('[hidden], [inert]'));
  const first = focusables[0];
  const last = focusables[focusables.length - 1];
  if (!first || !last) return false;
  const active = dialog.ownerDocument.activeElement;
  const outside = !(active instanceof Node) || !dialog.contains(active) || active === dialog;
  if (backwards && (active === first || outside)) {
    last.focus();
    return true;
  }
  if (!backwards && (active === last || outside)) {
    first.focus();
    return true;
  }
  return false;
}
