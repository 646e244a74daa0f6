import type { SyncEngine } from './sync-engine';

/** What the window reports about itself (the `app.windowState` channel). */
export interface WindowState {
  readonly visible: boolean;
  readonly focused: boolean;
  readonly online: boolean;
}

/** The part of the sync engine these triggers drive. */
export type WindowStateTarget = Pick<SyncEngine, 'setWindowVisible' | 'trigger'>;

/**
 * Turns what the window reports into sync triggers (the wake trigger comes from Electron's
 * powerMonitor in main/index.ts).
 *
 * - Brought to the front (focused after not being) → sync now: the person is looking.
 * - Hidden → the engine polls at its slower interval (the courier still wakes it at once).
 * - Offline → online → sync now: whatever waited for the network can go.
 * Repeated reports of the same state do nothing, so the renderer may report freely; the
 * scheduler coalesces whatever does trigger. See [Note: One run at a time].
 */
export class WindowStateTriggers {
  readonly #engine: WindowStateTarget | undefined;
  #last: WindowState | undefined;

  constructor(engine: WindowStateTarget | undefined) {
    this.#engine = engine;
  }

  update(next: WindowState): void {
    const last = this.#last;
    this.#last = next;
    const engine = this.#engine;
    if (!engine) return;
    if (next.visible !== last?.visible) engine.setWindowVisible(next.visible);
    else if (next.focused && !last.focused) engine.trigger('focus');
    if (next.online && last?.online === false) engine.trigger('network');
  }
}
