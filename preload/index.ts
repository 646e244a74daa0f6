import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL, buildBridge } from '../shared/ipc/bridge';
import { IPC_EVENT_CHANNEL } from '../shared/ipc/electron-channels';

/**
 * The sandboxed preload: exposes `window.photoflare`, built from the contract, and nothing else
 * (besides the contract, only `pathForFile` for files dropped from Finder).
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
  // Files dropped from Finder: the page holds File objects, main needs their paths to stream them.
  pathForFile: (file) => webUtils.getPathForFile(file as File),
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
