import { app, BrowserWindow, nativeImage, screen, type WebContents, type WebFrameMain } from 'electron';
import type { NativeMenuItem } from '../../shared/ipc/native-menu';
import { popUpContextMenu } from '../menu/context-menu';
import type { DragButton } from '../export/drag-out';
import type { Logger } from '../log/logger';
import { APP_ENTRY_URL } from './navigation-policy';
import { guardNavigation, secureWebPreferences } from './security';
import { fitToDisplays, loadWindowState, MIN_WINDOW_SIZE, saveWindowState, type WindowState } from './window-state';

export interface MainWindowOptions {
  /** dist/preload/index.cjs */
  readonly preloadPath: string;
  /** window-state.json under the profile folder. */
  readonly statePath: string;
  readonly openExternal: (url: string) => void;
  readonly log: Logger;
  /** The URL to load (tests and dev servers may differ; production is app://photoflare/index.html). */
  readonly url?: string;
}

/**
 * The one app window: secure preferences, guarded navigation, remembered bounds, hide on close.
 *
 * Closing the window hides it: sync and the menu-bar item keep running. Only a real quit (⌘Q,
 * the menu-bar item's Quit, logout) lets it close: main/index.ts calls `allowClose()` from
 * `before-quit`. See [Note: Window security].
 */
export class MainWindow {
  readonly #window: BrowserWindow;
  readonly #statePath: string;
  readonly #log: Logger;
  #closeAllowed = false;
  #leftButtonDown = false;
  readonly #onLeftButtonUp = new Set<() => void>();

  constructor(options: MainWindowOptions) {
    this.#statePath = options.statePath;
    this.#log = options.log;
    const bounds = fitToDisplays(
      loadWindowState(options.statePath),
      screen.getAllDisplays().map((display) => display.workArea),
    );
    this.#window = new BrowserWindow({
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      title: 'Photoflare',
      // The renderer draws the title bar area (with the sync status), like Photos.app.
      titleBarStyle: 'hiddenInset',
      show: false,
      webPreferences: secureWebPreferences({ preload: options.preloadPath }),
    });
    if (bounds.maximized) this.#window.maximize();
    this.#window.webContents.on('input-event', (_event, input) => this.#trackLeftButton(input));
    guardNavigation(this.#window.webContents, { openExternal: options.openExternal, log: options.log });
    this.#window.once('ready-to-show', () => this.#window.show());
    this.#window.on('close', (event) => {
      this.#saveState();
      if (this.#closeAllowed) return;
      event.preventDefault();
      this.#window.hide();
    });
    void this.#window.loadURL(options.url ?? APP_ENTRY_URL).catch((error: unknown) => {
      this.#log.error('the window could not load the app', { error });
    });
  }

  get webContents(): WebContents {
    return this.#window.webContents;
  }

  /** The frame IPC must come from: our page's top frame (null once the window is gone). */
  get mainFrame(): WebFrameMain | null {
    return this.#window.isDestroyed() ? null : this.#window.webContents.mainFrame;
  }

  get isDestroyed(): boolean {
    return this.#window.isDestroyed();
  }

  /** Bring the window back (dock click, second launch, "Open Photoflare" in the menu bar). */
  show(): void {
    if (this.#window.isDestroyed()) return;
    if (this.#window.isMinimized()) this.#window.restore();
    this.#window.show();
    this.#window.focus();
  }

  /** A right-click menu at the mouse; resolves with the chosen item's id (null: dismissed). */
  showContextMenu(items: readonly NativeMenuItem[]): Promise<string | null> {
    return popUpContextMenu(this.#window, items);
  }

  /**
   * The native drag of staged originals to Finder, while the mouse is still down after the
   * renderer's dragstart (Electron: webContents.startDrag; the files must exist, the icon must
   * not be empty). The icon is Quick Look's thumbnail of the first file, else its Finder icon.
   * See [Note: Dragging originals out to Finder].
   */
  async startFileDrag(paths: readonly string[]): Promise<void> {
    const first = paths[0];
    if (first === undefined || this.#window.isDestroyed()) return;
    const icon = await nativeImage
      .createThumbnailFromPath(first, { width: 64, height: 64 })
      .catch(() => app.getFileIcon(first, { size: 'normal' }));
    if (this.#window.isDestroyed()) return;
    this.#window.webContents.startDrag({ file: first, files: [...paths], icon });
  }

  /**
   * The left mouse button as the page's input events show it, for a drag to Finder that waits
   * for its originals (see [Note: Dragging originals out to Finder]). After the page cancels
   * its own drag (dragstart's preventDefault) Chromium goes on sending mouse moves and the
   * mouse up to the page, even outside the window while the button is held (AppKit sends the
   * dragged and up events to the view that got the down), so main hears the release here.
   */
  readonly dragButton: DragButton = {
    isDown: () => this.#leftButtonDown,
    onUp: (listener) => {
      this.#onLeftButtonUp.add(listener);
      return () => this.#onLeftButtonUp.delete(listener);
    },
  };

  #trackLeftButton(input: Electron.InputEvent): void {
    const mouse = input as Partial<Electron.MouseInputEvent>;
    let down = this.#leftButtonDown;
    if (input.type === 'mouseDown' && mouse.button === 'left') down = true;
    else if (input.type === 'mouseUp' && mouse.button === 'left') down = false;
    // A move without the button (the up went to another window or the app lost focus) is a release too.
    else if (input.type === 'mouseMove') down = input.modifiers?.includes('leftbuttondown') ?? false;
    if (down === this.#leftButtonDown) return;
    this.#leftButtonDown = down;
    if (down) return;
    for (const listener of [...this.#onLeftButtonUp]) listener();
    this.#onLeftButtonUp.clear();
  }

  /** Let the next close really close (the app is quitting). */
  allowClose(): void {
    this.#closeAllowed = true;
  }

  #saveState(): void {
    if (this.#window.isDestroyed()) return;
    // getNormalBounds: the size to return to, even while maximized or full screen.
    const normal = this.#window.getNormalBounds();
    const state: WindowState = { ...normal, maximized: this.#window.isMaximized() };
    try {
      saveWindowState(this.#statePath, state);
    } catch (error) {
      this.#log.warn('could not remember the window position', { error });
    }
  }
}
