import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL, buildBridge } from '../shared/ipc/bridge';
import { IPC_EVENT_CHANNEL } from '../shared/ipc/electron-channels';

/**
 * The sandboxed preload: exposes `window.photoflare`, built from the contract, and nothing else.
 *
 * No `ipcRenderer`, no arbitrary channel, no Node: only `invoke(channel, request)` for
 * contract channels and `on(event, listener)` for contract events (shared/ipc/bridge.ts
 * refuses anything else before it reaches IPC). Bundled into a single CommonJS file because a
 * sandboxed preload cannot `require` its siblings.
 */
const bridge = buildBridge({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (event, listener) => {
    // One IPC channel carries all pushed events; the bridge filters by name.
    const handler = (_event: Electron.IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

/**
 * The path of a file the person dropped from Finder (Electron's webUtils; `File.path` is gone
 * since Electron 32): the import sends it to main, which walks folders. Only files the person
 * dragged in have a File object, so the page learns no other path.
 */
contextBridge.exposeInMainWorld('photoflareFiles', { pathForFile: (file: File) => webUtils.getPathForFile(file) });
