/**
 * [Note: One key owner]
 *
 * One window keydown listener decides which part of the page gets a key. Components do not add
 * their own window listeners: they push a *key scope* while they are on screen, and the router
 * offers each keydown to the scopes from the top of the stack down:
 *
 *   modal   a dialog, sheet, the palette or a context menu: takes every key (nothing behind it runs)
 *   viewer  the photo viewer: covers the grid, but the app's curation keys still work in it
 *   view    the page's main list (the photo grid)
 *   app     the app-wide commands of the keymap (shared/keymap.ts, lib/app-commands.ts)
 *
 * Inside a layer the scope pushed last is on top. A scope answers true when it used the key; the
 * router then calls preventDefault and stops. A key an element handled itself first (a text
 * field, the listbox, the sidebar's arrow keys) arrives with `defaultPrevented` and goes to no
 * scope. Which commands a key means stays in the keymap (lib/keyboard.ts handleKey); the router
 * only decides who is asked.
 */
import type { KeyLike } from './keyboard';

/** The layers, bottom to top. */
export const KEY_LAYERS = ['app', 'view', 'viewer', 'modal'] as const;
export type KeyLayer = (typeof KEY_LAYERS)[number];

/** The parts of a keydown the router reads and acts on: what the keymap matches, and whether it was handled (tests pass plain objects). */
export interface RoutedKey extends KeyLike {
  readonly defaultPrevented: boolean;
  preventDefault(): void;
}

export interface KeyScope {
  /** Who this is, for tests and for `topScope` ("viewer", "dialog: Add to Album"). */
  readonly name: string;
  readonly layer: KeyLayer;
  /** Offered a key; true when it used it. */
  readonly handle?: (event: RoutedKey) => boolean;
  /**
   * Layers below this scope that get no keys while it is on the stack. Default: every layer
   * below for a modal, none otherwise (the viewer covers 'view' only).
   */
  readonly covers?: readonly KeyLayer[];
}

interface Entry {
  readonly scope: KeyScope;
  readonly order: number;
}

const rank = (layer: KeyLayer): number => KEY_LAYERS.indexOf(layer);

export class KeyRouter {
  /** Bottom to top: by layer, then by push order. */
  #stack: Entry[] = [];
  #pushes = 0;
  readonly #listen: ((dispatch: (event: KeyboardEvent) => void) => () => void) | undefined;
  #stopListening: (() => void) | undefined;

  /**
   * @param listen attaches the one keydown listener (the window's) while any scope is pushed,
   *   and returns how to detach it; without it the caller feeds `dispatch` itself (tests).
   */
  constructor(listen?: (dispatch: (event: KeyboardEvent) => void) => () => void) {
    this.#listen = listen;
  }

  /** Put a scope on the stack; the returned function takes it off again (once). */
  push(scope: KeyScope): () => void {
    const entry: Entry = { scope, order: this.#pushes++ };
    this.#stack.push(entry);
    this.#stack.sort((a, b) => rank(a.scope.layer) - rank(b.scope.layer) || a.order - b.order);
    if (this.#listen && !this.#stopListening) this.#stopListening = this.#listen((event) => void this.dispatch(event));
    return () => {
      const at = this.#stack.indexOf(entry);
      if (at < 0) return;
      this.#stack.splice(at, 1);
      if (this.#stack.length === 0) {
        this.#stopListening?.();
        this.#stopListening = undefined;
      }
    };
  }

  /** Offer a keydown to the scopes, top down. Answers the name of the scope that used it, or null. */
  dispatch(event: RoutedKey): string | null {
    if (event.defaultPrevented) return null;
    const covered = new Set<KeyLayer>();
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const scope = this.#stack[i]?.scope;
      if (!scope || covered.has(scope.layer)) continue;
      if (scope.handle?.(event)) {
        event.preventDefault();
        return scope.name;
      }
      for (const layer of coveredBy(scope)) covered.add(layer);
    }
    return null;
  }

  /** The scope that gets keys first (the open dialog, the viewer, …), or null. */
  get topScope(): string | null {
    return this.#stack[this.#stack.length - 1]?.scope.name ?? null;
  }
}

function coveredBy(scope: KeyScope): readonly KeyLayer[] {
  if (scope.covers) return scope.covers;
  return scope.layer === 'modal' ? KEY_LAYERS.filter((layer) => rank(layer) <= rank('modal')) : [];
}

/** The window's router: the only keydown listener on the window. */
export const keyRouter = new KeyRouter((dispatch) => {
  const target = globalThis.window as Window | undefined;
  if (!target) return () => undefined;
  target.addEventListener('keydown', dispatch);
  return () => target.removeEventListener('keydown', dispatch);
});
