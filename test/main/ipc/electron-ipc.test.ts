import type { IpcMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../shared/ipc/contract';
import { IPC_EVENT_CHANNEL } from '../../../shared/ipc/electron-channels';
import { EventHub } from '../../../main/ipc/event-hub';
import { attachWindowEvents, registerIpcHandlers, senderInfo, type TrustedWindow } from '../../../main/ipc/electron-ipc';
import type { Dispatch, SenderInfo } from '../../../main/ipc/handle';
import { createMemoryLogger } from '../../../main/log/logger';
import { FakeIpcMain, FakeSession, FakeWebContents, FakeWebFrame } from '../window/fake-electron';

function ourWindow() {
  const contents = new FakeWebContents(new FakeSession('default'));
  const window = { webContents: contents, mainFrame: contents.mainFrame } as unknown as TrustedWindow;
  return { contents, window };
}
const eventFrom = (sender: FakeWebContents, frame: FakeWebFrame | null) =>
  ({ sender, senderFrame: frame }) as unknown as Parameters<typeof senderInfo>[0];

describe('Electron IPC sender check', () => {
  it("trusts only our window's main frame on app://photoflare", () => {
    const { contents, window } = ourWindow();
    expect(senderInfo(eventFrom(contents, contents.mainFrame), window)).toEqual({
      trusted: true,
      description: 'frame app://photoflare/index.html',
    });
  });

  it('refuses a subframe, another window, a navigated-away frame, a gone frame, or no window', () => {
    const { contents, window } = ourWindow();
    const iframe = new FakeWebFrame('app://photoflare/index.html', contents.id, 2);
    expect(senderInfo(eventFrom(contents, iframe), window).trusted).toBe(false);

    const other = new FakeWebContents(new FakeSession('icloud-sign-in'));
    expect(senderInfo(eventFrom(other, other.mainFrame), window).trusted).toBe(false);

    const navigated = ourWindow();
    navigated.contents.mainFrame.url = 'https://evil.example/?token=abc';
    const info = senderInfo(eventFrom(navigated.contents, navigated.contents.mainFrame), navigated.window);
    expect(info.trusted).toBe(false);
    expect(info.description).not.toContain('token=abc');

    expect(senderInfo(eventFrom(contents, null), window).trusted).toBe(false);
    expect(senderInfo(eventFrom(contents, contents.mainFrame), undefined).trusted).toBe(false);
  });

  it('registers one handler per contract channel, derived from CHANNELS, passing the sender verdict', async () => {
    const ipcMain = new FakeIpcMain();
    const { contents, window } = ourWindow();
    const calls: [unknown, unknown, SenderInfo][] = [];
    const dispatch: Dispatch = async (channel, request, sender) => {
      calls.push([channel, request, sender]);
      return { ok: true, value: null };
    };
    const dispose = registerIpcHandlers({ ipcMain: ipcMain as unknown as IpcMain, dispatch, getWindow: () => window });
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());

    await ipcMain.handlers.get('app.info')?.(eventFrom(contents, contents.mainFrame), {});
    const stranger = new FakeWebContents(new FakeSession('x'));
    await ipcMain.handlers.get('settings.get')?.(eventFrom(stranger, stranger.mainFrame), {});
    expect(calls.map(([channel, , sender]) => [channel, sender.trusted])).toEqual([
      ['app.info', true],
      ['settings.get', false],
    ]);

    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('Electron event push', () => {
  it('sends contract events on the one event channel, and skips a destroyed window', () => {
    const hub = new EventHub(createMemoryLogger());
    const { contents, window } = ourWindow();
    let current: TrustedWindow | undefined = window;
    const detach = attachWindowEvents(hub, () => current, createMemoryLogger());
    hub.emit('menu.command', { command: 'album.new' });
    expect(contents.sent).toEqual([[IPC_EVENT_CHANNEL, 'menu.command', { command: 'album.new' }]]);
    contents.destroyed = true;
    hub.emit('menu.command', { command: 'edit.undo' });
    current = undefined;
    hub.emit('menu.command', { command: 'edit.redo' });
    expect(contents.sent).toHaveLength(1);
    detach();
  });
});
