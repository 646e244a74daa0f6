import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../shared/ipc/contract';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc/electron-channels';
import { createFakeElectron, FakeBrowserWindow, FakeWebFrame, sessionFor } from './window/fake-electron';

/**
 * The Electron entry's lifecycle, with Electron faked: lock order, window, IPC, menus, quit.
 * main/index.ts runs on import, so each test imports a fresh copy against a fresh fake.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'electron-entry-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

let fake: ReturnType<typeof createFakeElectron>;
const savedArgv = process.argv;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function launch(options: { lock?: boolean; argv?: string[] } = {}) {
  fake = createFakeElectron();
  fake.app.gotLock = options.lock ?? true;
  process.argv = ['/Applications/Photoflare.app/Contents/MacOS/Photoflare', ...(options.argv ?? [])];
  vi.doMock('electron', () => fake);
  await import('../../main/index');
  return fake;
}
async function ready() {
  fake.app.becomeReady();
  await tick();
  const window = FakeBrowserWindow.instances[0];
  if (!window) throw new Error('no window was created');
  return window;
}

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('PHOTOFLARE_DATA_DIR', dataDir);
});
afterEach(() => {
  process.argv = savedArgv;
  vi.unstubAllEnvs();
  vi.doUnmock('electron');
});

describe('Electron entry (Electron mocked)', () => {
  it('points userData at the profile BEFORE taking the single-instance lock, and sandboxes everything', async () => {
    await launch({ argv: ['--profile', 'second'] });
    const calls = fake.app.calls;
    expect(calls.indexOf('setPath:userData')).toBeLessThan(calls.indexOf('requestSingleInstanceLock'));
    expect(calls).toContain('enableSandbox');
    expect(fake.app.getPath('userData')).toBe(join(dataDir, 'profiles', 'second', 'electron'));
    // codeCache: the renderer's chunks are compiled once and read from V8's code cache at the next launch.
    expect(fake.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('quits at once when another instance of the same profile holds the lock', async () => {
    await launch({ lock: false });
    expect(fake.app.calls).toContain('quit');
    fake.app.becomeReady();
    await tick();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('serves the app, answers IPC only from its window, and pushes menu commands to it', async () => {
    await launch();
    const window = await ready();
    expect(window.loadedUrl).toBe('app://photoflare/index.html');
    expect(sessionFor('default').protocolHandlers.has('app')).toBe(true);
    expect(sessionFor('default').permissionRequestHandler).not.toBeNull();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());

    const info = fake.ipcMain.handlers.get('app.info');
    const trusted = await info?.({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, {});
    expect(trusted).toMatchObject({ ok: true, value: { shell: 'electron', version: '1.2.3', profile: 'default' } });
    const iframe = new FakeWebFrame('app://photoflare/index.html', window.webContents.id, 99);
    expect(await info?.({ sender: window.webContents, senderFrame: iframe }, {})).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });

    const menu = fake.menus[0] as { template: { label?: string; submenu?: { label?: string; click?: () => void }[] }[] };
    menu.template
      .find((item) => item.label === 'File')
      ?.submenu?.find((item) => item.label === 'New Album')
      ?.click?.();
    expect(window.webContents.sent).toContainEqual([IPC_EVENT_CHANNEL, 'menu.command', { command: 'album.new' }]);
  });

  it('follows the theme setting and routes thumbnails to the thumbnail service', async () => {
    await launch();
    const window = await ready();
    const update = fake.ipcMain.handlers.get('settings.update');
    const result = await update?.({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, { theme: 'dark' });
    expect(result).toMatchObject({ ok: true });
    expect(fake.nativeTheme.themeSource).toBe('dark');
    expect(window.webContents.sent.some(([, name]) => name === 'settings.changed')).toBe(true);

    const serve = sessionFor('default').protocolHandlers.get('app');
    const thumb = await serve?.(new Request('app://photoflare/thumbs/not-a-uid/tile_500'));
    expect(thumb?.status).toBe(404);
    expect(thumb?.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('hides on close, comes back on a second launch, and quits in order', async () => {
    await launch();
    const window = await ready();
    window.emit('ready-to-show');
    window.close();
    expect(window.destroyed).toBe(false);
    expect(window.visible).toBe(false);
    fake.app.emit('second-instance');
    expect(window.visible).toBe(true);

    fake.app.quit();
    // Quitting waits for the core to stop (its services' disposers are async): wait for the second quit, never a count of ticks.
    await vi.waitFor(() => expect(fake.app.calls.filter((call) => call === 'quit')).toHaveLength(2));
    // before-quit allowed the close: Electron's own close of the window now goes through.
    window.close();
    expect(window.destroyed).toBe(true);
    expect(fake.app.calls.at(-1)).toBe('exited');
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('writes its log to the Logs folder, and Help → Reveal Logs shows that file', async () => {
    await launch({ argv: ['--profile', 'second'] });
    await ready();
    const help = helpMenu();
    help.find((item) => item.label === 'Reveal Logs')?.click?.();
    const logPath = join(fake.app.getPath('logs'), 'photoflare-second.log');
    expect(fake.revealed).toEqual([logPath]);
    await vi.waitFor(() => expect(readFileSync(logPath, 'utf8')).toMatch(/INFO \[photoflare:second:db\] updating schema/));
  });

  it('Help → Export Diagnostics… saves the report where the person chose', async () => {
    await launch();
    await ready();
    const target = join(dataDir, 'report.txt');
    fake.saveDialog.answer = target;
    helpMenu()
      .find((item) => item.label === 'Export Diagnostics…')
      ?.click?.();
    await vi.waitFor(() => expect(fake.revealed).toContain(target));
    expect(readFileSync(target, 'utf8')).toMatch(/^Photoflare diagnostics\n[\s\S]*version: 1\.2\.3/);
  });

  it('reloads a crashed window a few times, logs helper crashes, and keeps running', async () => {
    await launch();
    const window = await ready();
    const gone = (reason: string) => fake.app.emit('render-process-gone', {}, window.webContents, { reason, exitCode: 1 });
    gone('crashed');
    expect(window.webContents.reloads).toBe(1);
    gone('clean-exit');
    expect(window.webContents.reloads).toBe(1);
    gone('oom');
    gone('crashed');
    gone('crashed');
    // Three reloads within a minute at most: a page that crashes on load must not spin.
    expect(window.webContents.reloads).toBe(3);
    fake.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 9 });
    process.emit('unhandledRejection', new Error('nobody awaited this'), Promise.resolve());
    await vi.waitFor(() => {
      const text = readFileSync(join(fake.app.getPath('logs'), 'photoflare.log'), 'utf8');
      expect(text).toContain('a window crashed');
      expect(text).toContain('a helper process stopped');
      expect(text).toContain('nobody awaited this');
    });
  });
});

function helpMenu(): { label?: string; click?: () => void }[] {
  const menu = fake.menus.at(-1) as { template: { label?: string; submenu?: { label?: string; click?: () => void }[] }[] };
  return menu.template.find((item) => item.label === 'Help')?.submenu ?? [];
}
