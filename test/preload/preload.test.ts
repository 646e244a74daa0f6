import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhotoflareBridge } from '../../shared/ipc/bridge';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc/electron-channels';

/** What the preload hands to contextBridge, and what it asks of ipcRenderer. */
const exposed = new Map<string, unknown>();
const ipcRenderer = {
  invoke: vi.fn(async (_channel: string, _request: unknown) => ({ ok: true, value: { name: 'Photoflare' } })),
  on: vi.fn(),
  removeListener: vi.fn(),
};

/** Electron's webUtils: knows the path of a dropped file, throws for anything that is not a File. */
const webUtils = {
  getPathForFile: vi.fn((file: unknown) => {
    if (typeof file !== 'object' || file === null || !('name' in file)) throw new TypeError('not a File');
    return `/Users/me/Pictures/${String(file.name)}`;
  }),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer,
  webUtils,
}));

describe('the preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('../../preload/index');
  });

  it('exposes exactly one global, the contract bridge, and no ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual(['photoflare']);
    const bridge = exposed.get('photoflare') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
  });

  it('gives the path of a file dropped from Finder, and "" (never a throw) for anything else', () => {
    const bridge = exposed.get('photoflare') as PhotoflareBridge;
    expect(bridge.pathForFile?.({ name: 'IMG_0001.HEIC' })).toBe('/Users/me/Pictures/IMG_0001.HEIC');
    expect(bridge.pathForFile?.('not a file')).toBe('');
  });

  it('invokes contract channels over ipcRenderer.invoke', async () => {
    const bridge = exposed.get('photoflare') as PhotoflareBridge;
    expect(await bridge.invoke('app.info', {})).toEqual({ ok: true, value: { name: 'Photoflare' } });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('app.info', {});
  });

  it('never forwards a channel outside the contract', async () => {
    ipcRenderer.invoke.mockClear();
    const bridge = exposed.get('photoflare') as { invoke: (c: string, r: unknown) => Promise<unknown> };
    expect(await bridge.invoke('ELECTRON_BROWSER_REQUIRE', {})).toMatchObject({ ok: false });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed event from the shared event channel, and unsubscribes', () => {
    const bridge = exposed.get('photoflare') as PhotoflareBridge;
    const seen: unknown[] = [];
    const off = bridge.on('settings.changed', (payload) => seen.push(payload));
    const [channel, handler] = ipcRenderer.on.mock.calls.at(-1) as [string, (...args: unknown[]) => void];
    expect(channel).toBe(IPC_EVENT_CHANNEL);
    handler({}, 'library.changed', { full: true });
    handler({}, 'settings.changed', { theme: 'dark' });
    expect(seen).toEqual([{ theme: 'dark' }]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, handler);
  });
});
