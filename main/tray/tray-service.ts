import { join } from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { SyncStatus } from '../../shared/sync/state';
import { buildTrayView, TRAY_ICON_FILES, type TrayCommand, type TrayIconState, type TrayMenuItem, type TrayView } from './tray-menu';

/** The part of Electron's Tray the service uses (a seam for tests and a future non-Mac shell). */
export interface TrayLike {
  setImage(image: NativeImage): void;
  setToolTip(text: string): void;
  setContextMenu(menu: Menu | null): void;
  destroy(): void;
}

export interface TrayServiceOptions {
  /** Folder holding the PNGs from main/tray/icons/ (copied to dist/main/icons/ by the build). */
  readonly iconsDir: string;
  /** What each menu command does. Sync commands reach the sync engine; the rest the window/app. */
  readonly commands: Readonly<Record<TrayCommand, () => void>>;
  /** Epoch ms; injected so "synced 2 min ago" is testable. */
  readonly now?: () => number;
  /** How often the relative time in the status line is refreshed. */
  readonly refreshIntervalMs?: number;
  readonly createTray?: (image: NativeImage) => TrayLike;
}

/** Before the sync engine reports anything: sync off, nothing pending, not connected yet. */
export const INITIAL_SYNC_STATUS: SyncStatus = {
  state: { name: 'disabled' },
  pendingCount: 0,
  photoprism: 'signed-out',
};

/**
 * The menu-bar item: renders `buildTrayView(status)` into an Electron Tray.
 *
 * All decisions live in tray-menu.ts (pure, unit-tested); this class only turns a view into
 * Electron objects, and re-renders on a timer so "synced 2 min ago" does not go stale — never
 * while the menu is open (see [Note: Tray menu never rebuilt while open]).
 * See [Note: Menu-bar status].
 */
export class TrayService {
  readonly #options: TrayServiceOptions;
  readonly #now: () => number;
  readonly #tray: TrayLike;
  readonly #images = new Map<TrayIconState, NativeImage>();
  readonly #timer: ReturnType<typeof setInterval>;
  #status: SyncStatus = INITIAL_SYNC_STATUS;
  /** Curation actions waiting in the offline queue for the PhotoPrism server. */
  #waitingForServer = 0;
  #view: TrayView | undefined;
  /** The menu items as last handed to the tray (JSON), to skip rebuilding an identical menu. */
  #shownMenu = '';
  /** True between the shown menu's 'menu-will-show' and 'menu-will-close'. */
  #menuOpen = false;

  constructor(options: TrayServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const view = buildTrayView(this.#status, this.#now());
    const create = options.createTray ?? ((image: NativeImage) => new Tray(image));
    this.#tray = create(this.#image(view.icon));
    this.#render(view);
    this.#timer = setInterval(() => this.refresh(), options.refreshIntervalMs ?? 30_000);
    // The refresh timer must never keep the app alive on its own.
    this.#timer.unref?.();
  }

  /** The view currently shown (for tests and the window's title-bar status). */
  get view(): TrayView | undefined {
    return this.#view;
  }

  /** Show a new sync status. */
  update(status: SyncStatus): void {
    this.#status = status;
    this.refresh();
  }

  /** Show how many changes wait for the PhotoPrism server (the offline queue). */
  setWaitingForServer(count: number): void {
    this.#waitingForServer = count;
    this.refresh();
  }

  /** Re-render with the current time (relative times move on even when the status does not). */
  refresh(): void {
    this.#render(buildTrayView(this.#status, this.#now(), this.#waitingForServer));
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#tray.destroy();
  }

  /**
   * [Note: Tray menu never rebuilt while open]
   * Handing the tray a new menu while its menu is open closes it under the pointer (macOS) and
   * can swallow the click the person was about to make. So while it is open only the icon and
   * tooltip follow the status; the menu is rebuilt once it has closed, and only if it would look
   * different. The rebuild waits a tick after 'menu-will-close', because macOS delivers the
   * chosen item's click after that event (Electron docs, Menu: "Event: 'menu-will-close'").
   */
  #render(view: TrayView): void {
    if (this.#view?.icon !== view.icon) this.#tray.setImage(this.#image(view.icon));
    this.#tray.setToolTip(`Photoflare — ${view.statusLine}`);
    this.#view = view;
    if (!this.#menuOpen) this.#setMenu(view);
  }

  #setMenu(view: TrayView): void {
    const shown = JSON.stringify(view.menu);
    if (shown === this.#shownMenu) return;
    const menu = Menu.buildFromTemplate(view.menu.map((item) => this.#toElectron(item)));
    menu.on('menu-will-show', () => {
      this.#menuOpen = true;
    });
    menu.on('menu-will-close', () => {
      this.#menuOpen = false;
      const timer = setTimeout(() => {
        if (!this.#menuOpen && this.#view) this.#setMenu(this.#view);
      }, 0);
      timer.unref?.();
    });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Electron's own factory builds the Menu
    this.#tray.setContextMenu(menu);
    this.#shownMenu = shown;
  }

  #toElectron(item: TrayMenuItem): Electron.MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    const command = item.command;
    return {
      label: item.label,
      enabled: item.enabled,
      ...(command ? { click: () => this.#options.commands[command]() } : {}),
    };
  }

  #image(state: TrayIconState): NativeImage {
    let image = this.#images.get(state);
    if (!image) {
      // createFromPath picks up `<name>@2x.png` next to the 1x file on Retina displays.
      image = nativeImage.createFromPath(join(this.#options.iconsDir, `${TRAY_ICON_FILES[state]}.png`));
      // Template images are tinted by macOS for light and dark menu bars; `attention` keeps its colour.
      image.setTemplateImage(TRAY_ICON_FILES[state].endsWith('Template'));
      this.#images.set(state, image);
    }
    return image;
  }
}
