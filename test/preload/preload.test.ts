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

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer,
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
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
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
