import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small in-memory stand-in for the parts of Electron the shell uses.
 *
 * Electron's binary is absent here, so shell tests do `vi.mock('electron', () => fakeElectron)`
 * (via an async factory importing this module) and drive windows, sessions and the app by hand:
 * navigate, close, send IPC, quit. Only behaviour our code relies on is modelled.
 */

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebFrame {
  constructor(
    public url: string,
    readonly processId: number,
    readonly routingId: number,
  ) {}
}

type Handler = (...args: never[]) => unknown;

/** What a webRequest.onBeforeRequest listener sees (the fields our code reads). */
export interface FakeRequestDetails {
  url: string;
  resourceType: 'mainFrame' | 'subFrame' | 'script' | 'image' | 'xhr' | 'other';
  webContentsId?: number;
}
type BeforeRequestListener = (details: FakeRequestDetails, callback: (response: { cancel?: boolean }) => void) => void;

export class FakeSession extends EventEmitter {
  /** The session's one onBeforeRequest listener (Electron keeps one per session, too). */
  beforeRequest: BeforeRequestListener | null = null;
  readonly webRequest = {
    onBeforeRequest: (filterOrListener: unknown, maybeListener?: BeforeRequestListener | null) => {
      this.beforeRequest = (
        typeof filterOrListener === 'function' ? filterOrListener : (maybeListener ?? null)
      ) as BeforeRequestListener | null;
    },
  };
  /** Simulate a request from a page in this session; answers what the listener decided. */
  request(details: FakeRequestDetails): { cancel?: boolean } {
    let decision: { cancel?: boolean } = {};
    this.beforeRequest?.(details, (response) => (decision = response));
    return decision;
  }
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  cleared = 0;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => this.protocolHandlers.set(scheme, handler),
  };
  constructor(readonly partition: string) {
    super();
  }
  setPermissionRequestHandler(handler: Handler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler | null): void {
    this.devicePermissionHandler = handler;
  }
  async clearStorageData(): Promise<void> {
    this.cleared++;
  }
}

let nextContentsId = 100;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeWebFrame;
  readonly sent: unknown[][] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  constructor(readonly session: FakeSession) {
    super();
    this.mainFrame = new FakeWebFrame('app://photoflare/index.html', this.id, 1);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  reloads = 0;
  reload(): void {
    this.reloads += 1;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  /** Simulate a navigation event; true when our code let it happen. */
  navigate(kind: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
    const event = new FakeEvent(url);
    this.emit(kind, event, url);
    return !event.defaultPrevented;
  }
  /** Simulate window.open / target=_blank. */
  open(url: string): { action: string } | undefined {
    return this.windowOpenHandler?.({ url });
  }
}

const sessions = new Map<string, FakeSession>();
export function sessionFor(partition: string): FakeSession {
  let session = sessions.get(partition);
  if (!session) {
    session = new FakeSession(partition);
    sessions.set(partition, session);
  }
  return session;
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  visible = false;
  destroyed = false;
  maximized = false;
  focused = 0;
  loadedUrl: string | undefined;
  loadResult: Promise<void> = Promise.resolve();
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, unknown> & { webPreferences?: { partition?: string } }) {
    super();
    this.webContents = new FakeWebContents(sessionFor(options.webPreferences?.partition ?? 'default'));
    this.bounds = {
      x: Number(options['x'] ?? 0),
      y: Number(options['y'] ?? 0),
      width: Number(options['width'] ?? 800),
      height: Number(options['height'] ?? 600),
    };
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return this.loadResult;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.bounds;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** A user (or the app) closing the window; our 'close' listener may prevent it. */
  close(): void {
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeApp extends EventEmitter {
  readonly calls: string[] = [];
  readonly paths = new Map<string, string>([
    ['appData', '/fake/Application Support'],
    // Written to for real (the log file): a fresh temporary folder per fake.
    ['logs', mkdtempSync(join(tmpdir(), 'fake-electron-logs-'))],
    ['downloads', mkdtempSync(join(tmpdir(), 'fake-electron-downloads-'))],
  ]);
  gotLock = true;
  isPackaged = false;
  #ready: () => void = () => undefined;
  readonly #readyPromise = new Promise<void>((resolve) => (this.#ready = resolve));
  getPath(name: string): string {
    return this.paths.get(name) ?? `/fake/${name}`;
  }
  setPath(name: string, value: string): void {
    this.calls.push(`setPath:${name}`);
    this.paths.set(name, value);
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.gotLock;
  }
  whenReady(): Promise<void> {
    return this.#readyPromise;
  }
  /** Fire 'ready'. */
  becomeReady(): void {
    this.#ready();
  }
  getVersion(): string {
    return '1.2.3';
  }
  quit(): void {
    this.calls.push('quit');
    this.emit('before-quit', new FakeEvent());
    const event = new FakeEvent();
    this.emit('will-quit', event);
    if (!event.defaultPrevented) this.calls.push('exited');
  }
  exit(code: number): void {
    this.calls.push(`exit:${code}`);
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, request: unknown) => unknown>();
  handle(channel: string, handler: (event: unknown, request: unknown) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

/** Reversible "encryption" that is visibly not clear text. */
export const fakeSafeStorage = {
  available: true,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  encryptString(plainText: string): Buffer {
    return Buffer.from(`enc:${Buffer.from(plainText).toString('hex')}`);
  },
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString();
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(4), 'hex').toString();
  },
};

/** The module object handed to vi.mock('electron'). Build a fresh one per test file. */
export function createFakeElectron() {
  FakeBrowserWindow.instances = [];
  sessions.clear();
  const app = new FakeApp();
  const privileged: unknown[] = [];
  const opened: string[] = [];
  const menus: unknown[] = [];
  const revealed: string[] = [];
  /** What the next save dialog answers (a path, or undefined for Cancel). */
  const saveDialog: { answer: string | undefined } = { answer: undefined };
  return {
    revealed,
    saveDialog,
    app,
    privileged,
    opened,
    menus,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    safeStorage: fakeSafeStorage,
    nativeTheme: { themeSource: 'system' },
    powerMonitor: new EventEmitter(),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 25, width: 1440, height: 875 } }] },
    session: {
      get defaultSession() {
        return sessionFor('default');
      },
      fromPartition: (partition: string) => sessionFor(partition),
    },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes) },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
      showItemInFolder: (path: string) => revealed.push(path),
    },
    dialog: {
      showErrorBox: () => undefined,
      showSaveDialog: async () => (saveDialog.answer === undefined ? { canceled: true } : { canceled: false, filePath: saveDialog.answer }),
    },
    Menu: {
      // A built menu is an EventEmitter in Electron (the tray listens for 'menu-will-show'/'menu-will-close').
      buildFromTemplate: (template: unknown) => ({
        template,
        on() {
          return this;
        },
      }),
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    Tray: class {
      setImage(): void {}
      setToolTip(): void {}
      setContextMenu(): void {}
      destroy(): void {}
    },
    nativeImage: { createFromPath: () => ({ setTemplateImage: () => undefined }) },
  };
}
